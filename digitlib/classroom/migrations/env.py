"""Alembic's entry point for the class space's migrations.

``database.upgrade`` passes an open connection in ``config.attributes["connection"]``; run
by hand (``alembic``), the database is ``sqlalchemy.url`` or ``database.default_url()``.
"""

from alembic import context

from digitlib.classroom import database
from digitlib.classroom.schema import Base


def run(connection) -> None:
    context.configure(
        connection=connection,
        target_metadata=Base.metadata,
        render_as_batch=connection.dialect.name == "sqlite",  # SQLite alters tables by copying them
        compare_type=True,
    )
    with context.begin_transaction():
        context.run_migrations()


connection = context.config.attributes.get("connection")
if connection is not None:
    run(connection)
else:
    engine = database.make_engine(context.config.get_main_option("sqlalchemy.url") or database.default_url())
    with database.migrating(engine) as connection:  # locked, and SQLite's foreign keys off
        run(connection)
    engine.dispose()
