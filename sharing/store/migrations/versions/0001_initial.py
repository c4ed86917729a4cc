"""The initial schema: publications and their frames, the club's members, keys, submissions, caps and indexes.

Revision ID: 0001_initial
Revises:
Create Date: 2026-11-30

The statements are sharing/store/schema.py REVISIONS["0001_initial"], which the
DuckDB back end runs too, so both back ends hold the same tables.
"""

from alembic import op

from sharing.store.schema import REVISIONS, TABLES

revision = "0001_initial"
down_revision = None
branch_labels = None
depends_on = None


def upgrade() -> None:
    for statement in REVISIONS[revision]:
        op.execute(statement)


def downgrade() -> None:
    for table in reversed(TABLES):
        op.execute(f"DROP TABLE IF EXISTS {table}")
