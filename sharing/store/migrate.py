"""Schema migrations for the PostgreSQL back end, run with Alembic (revisions in sharing/store/migrations).

`upgrade(url)` takes a transaction-scoped advisory lock first, so several
replicas starting at once upgrade the schema exactly once (the others wait, then
find it at head). PostgreSQL runs DDL inside the transaction: an upgrade that
fails part-way leaves the schema as it was.
"""

from __future__ import annotations

from pathlib import Path

from alembic import command
from alembic.config import Config
from sqlalchemy import create_engine, text
from sqlalchemy.pool import NullPool

MIGRATIONS = Path(__file__).resolve().with_name("migrations")
LOCK_ID = 7_042_017
"""pg_advisory_xact_lock key held while migrating (any fixed number the database does not use otherwise)."""


def sqlalchemy_url(url: str) -> str:
    """The libpq URL as SQLAlchemy names the psycopg 3 driver."""
    for prefix in ("postgresql://", "postgres://"):
        if url.startswith(prefix):
            return "postgresql+psycopg://" + url[len(prefix):]
    return url


def alembic_config(url: str) -> Config:
    """Alembic's configuration in code (no alembic.ini needed): where the revisions are, and the database."""
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS))
    config.set_main_option("sqlalchemy.url", sqlalchemy_url(url).replace("%", "%%"))
    return config


def upgrade(url: str, revision: str = "head") -> None:
    """Apply every revision up to `revision` (default head) under the advisory lock."""
    engine = create_engine(sqlalchemy_url(url), poolclass=NullPool, connect_args={"connect_timeout": 10})
    try:
        with engine.begin() as connection:
            connection.execute(text("SELECT pg_advisory_xact_lock(:key)"), {"key": LOCK_ID})
            config = alembic_config(url)
            config.attributes["connection"] = connection
            command.upgrade(config, revision)
    finally:
        engine.dispose()


def sql(revision: str = "head") -> str:
    """The DDL an upgrade from empty would run, as text (for a DBA who applies it by hand)."""
    import contextlib
    import io

    config = alembic_config("postgresql://")
    buffer = io.StringIO()
    config.output_buffer = buffer
    with contextlib.redirect_stdout(buffer):
        command.upgrade(config, revision, sql=True)
    return buffer.getvalue()
