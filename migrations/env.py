"""Alembic environment: the engine comes from jixiao_core.db (no alembic.ini, no URL in files)."""

from alembic import context

from jixiao_core.models import Base

config = context.config
engine = config.attributes["engine"]

with engine.connect() as connection:
    if connection.dialect.name == "sqlite":
        # batch mode drops and recreates a table; with foreign keys on, dropping a parent (project_year) would
        # cascade-delete every child row. The pragma only takes effect outside a transaction, so set it first.
        connection.exec_driver_sql("PRAGMA foreign_keys=OFF")
        connection.commit()
    # render_as_batch: SQLite cannot ALTER most things; batch mode copies into a new table and renames
    context.configure(connection=connection, target_metadata=Base.metadata, render_as_batch=True)
    with context.begin_transaction():
        context.run_migrations()
    connection.commit()
