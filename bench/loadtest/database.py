"""The class database for a --class-space run: a fresh SQLite file, --database-url, or a private
PostgreSQL server (tests.support.databases), each removed or stopped at the end."""

from __future__ import annotations

import shutil
import tempfile
from contextlib import contextmanager
from pathlib import Path


@contextmanager
def class_database(args):
    """The class database for the server: its environment variables, and PostgreSQL's data folder if private.

    A fresh DIGITS_DATA_DIR each run (removed at the end), so the SQLite file starts empty;
    --database-url, or --postgres: a private PostgreSQL server on 127.0.0.1, stopped at the end.
    """
    folder = Path(tempfile.mkdtemp(prefix="class-data-", dir=args.cache_dir.parent))
    env = {"DIGITS_DATA_DIR": str(folder), "DIGITS_DATABASE_URL": args.database_url or ""}
    try:
        if not args.postgres:
            yield env, None
            return
        from tests.support.databases import PrivateServer, _newest_binaries, fresh_postgres_database

        bindir = _newest_binaries()
        if bindir is None:
            raise SystemExit("--postgres needs Debian's postgresql (apt-get install postgresql)")
        server = PrivateServer(bindir)
        try:
            server.start()
            with fresh_postgres_database(server.url) as url:
                yield {**env, "DIGITS_DATABASE_URL": url}, server.data
        finally:
            server.stop()
    finally:
        shutil.rmtree(folder, ignore_errors=True)
