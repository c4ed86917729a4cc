"""${message}

Revision ID: ${up_revision}
Revises: ${down_revision | comma,n}
Create Date: ${create_date}

Add the statements to sharing/store/schema.py REVISIONS under this id too, so the DuckDB back end
builds the same schema.
"""

from alembic import op

from sharing.store.schema import REVISIONS

revision = ${repr(up_revision)}
down_revision = ${repr(down_revision)}
branch_labels = None
depends_on = None


def upgrade() -> None:
    for statement in REVISIONS[revision]:
        op.execute(statement)


def downgrade() -> None:
    raise NotImplementedError("Restore the database from its backup to go back a revision.")
