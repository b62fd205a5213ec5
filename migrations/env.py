"""Alembic environment: the engine comes from jixiao_core.db (no alembic.ini, no URL in files)."""

from alembic import context

from jixiao_core.models import Base

config = context.config
engine = config.attributes["engine"]

with engine.connect() as connection:
    # render_as_batch: SQLite cannot ALTER most things; batch mode copies into a new table and renames
    context.configure(connection=connection, target_metadata=Base.metadata, render_as_batch=True)
    with context.begin_transaction():
        context.run_migrations()
    connection.commit()
