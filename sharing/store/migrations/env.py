"""Alembic environment for the store: runs on the connection sharing.store.migrate hands it (or offline, as SQL)."""

from __future__ import annotations

from alembic import context
from sqlalchemy import create_engine
from sqlalchemy.pool import NullPool

config = context.config


def run_offline() -> None:
    """Print the SQL instead of running it (`python -m sharing.store sql`)."""
    context.configure(url=config.get_main_option("sqlalchemy.url"), literal_binds=True, transactional_ddl=True,
                      dialect_name="postgresql")
    with context.begin_transaction():
        context.run_migrations()


def run_online() -> None:
    """Run on the shared connection (already inside a transaction holding the advisory lock), or a new one."""
    connection = config.attributes.get("connection")
    if connection is not None:
        context.configure(connection=connection, transactional_ddl=True)
        with context.begin_transaction():
            context.run_migrations()
        return
    engine = create_engine(config.get_main_option("sqlalchemy.url"), poolclass=NullPool)
    with engine.begin() as conn:
        context.configure(connection=conn, transactional_ddl=True)
        with context.begin_transaction():
            context.run_migrations()
    engine.dispose()


if context.is_offline_mode():
    run_offline()
else:
    run_online()
