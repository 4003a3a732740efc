"""bench.engine end to end on a small size: one fit in a child process, sklearn skipped and said so, the plans."""

import sys

from bench import engine


def test_engine_prints_fit_skip_and_plans(monkeypatch, capsys):
    monkeypatch.setattr(sys, "argv", ["engine", "--sizes", "500", "--skip-sklearn-above", "100", "--budgets", "690"])
    engine.main()
    out = capsys.readouterr().out
    assert "   500 |     skipped" in out and "sklearn's fit skipped (--skip-sklearn-above 100)" in out
    assert "shipped model: yes" in out  # a 500-image model comes with the repository
    assert "500 images,   690 MB: libsvm on shared kernel blocks" in out
