"""Alembic environment: the engine comes from jixiao_core.db (no alembic.ini, no URL in files)."""

from alembic import context

from jixiao_core.models import Base

config = context.config
engine = config.attributes["engine"]

with engine.connect() as connection:
    sqlite = connection.dialect.name == "sqlite"
    if sqlite:
        # batch mode copies a table, drops the old one and renames: with foreign keys on, that DROP deletes every
        # row of every child table through ON DELETE CASCADE (the pragma is a no-op inside a transaction, so first)
        connection.exec_driver_sql("PRAGMA foreign_keys=OFF")
    # render_as_batch: SQLite cannot ALTER most things; batch mode copies into a new table and renames
    context.configure(connection=connection, target_metadata=Base.metadata, render_as_batch=True)
    with context.begin_transaction():
        context.run_migrations()
    connection.commit()
    if sqlite:
        connection.exec_driver_sql("PRAGMA foreign_keys=ON")
