"""``python -m digitlib classroom-where`` and ``classroom-expire``: for whoever runs the app."""

import subprocess
import sys
from datetime import UTC, datetime, timedelta

from digitlib import cli
from digitlib.classroom.store import ClassStore
from tests.support.paths import ROOT


def test_classroom_where_names_the_place_without_a_password(monkeypatch, capsys):
    monkeypatch.setenv("DIGITS_DATABASE_URL", "postgresql+psycopg://teacher:s3cret@db.example.com:6543/class")
    assert cli.main(["classroom-where"]) == 0
    out = capsys.readouterr().out
    assert "PostgreSQL database class on db.example.com:6543" in out and "s3cret" not in out


def test_classroom_where_warns_about_a_sqlite_file(monkeypatch, tmp_path):
    env = {"DIGITS_DATA_DIR": str(tmp_path / "data"), "PATH": "/usr/bin:/bin"}
    out = subprocess.run([sys.executable, "-m", "digitlib", "classroom-where"], capture_output=True, text=True,
                         check=True, cwd=ROOT, env=env).stdout
    assert f"a SQLite file on this server: {tmp_path / 'data' / 'digits.sqlite'}" in out
    assert "set DIGITS_DATABASE_URL to a PostgreSQL database" in out


def test_classroom_expire_deletes_old_classes_and_prints_their_codes(monkeypatch, capsys, tmp_path):
    url = f"sqlite:///{tmp_path / 'class.sqlite'}"
    long_ago = datetime.now(UTC) - timedelta(days=40)
    old_store = ClassStore(url, clock=lambda: long_ago)
    old = [old_store.create_class().code for _ in range(2)]
    old_store.close()
    recent_store = ClassStore(url, auto_expire=False)  # leaves the old classes to the command
    recent = recent_store.create_class().code
    recent_store.close()
    monkeypatch.setenv("DIGITS_DATABASE_URL", url)
    assert cli.main(["classroom-expire"]) == 0
    out = capsys.readouterr().out
    assert out.splitlines()[0] == "Deleted 2 classes unused for 30 days:"
    assert sorted(out.splitlines()[1:]) == sorted(old)
    store = ClassStore(url)
    assert store.exists(recent) and not any(store.exists(code) for code in old)
    store.close()
    assert cli.main(["classroom-expire"]) == 0
    assert capsys.readouterr().out == "Deleted 0 classes unused for 30 days.\n"


def test_a_database_that_cannot_be_reached_is_a_message(monkeypatch, capsys):
    monkeypatch.setenv("DIGITS_DATABASE_URL", "postgresql+psycopg://u:s3cret@127.0.0.1:1/x")
    assert cli.main(["classroom-expire"]) == 2
    err = capsys.readouterr().err
    assert err.startswith("error: The class database cannot be reached") and "s3cret" not in err
