"""review_states.family: each state's item family (first lemma), indexed for the family memory read

Revision ID: 0017
Revises: 0016
Create Date: 2026-12-01 21:30:00.000000

The session reads a due family's memory (its strongest state); with the family beside the state that is
one lookup of the (learner, family, stability DESC, item id) index, where it joined every state of the
learner against the family's member list. Existing rows are filled from their item's lemmas in one
UPDATE per dialect (JSON ``->> 0`` on PostgreSQL, ``json_extract`` on SQLite): an empty or missing
lemma list leaves NULL, as `selection.family` gives None.
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0017"
down_revision: str | None = "0016"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

_FILL = {
    "postgresql": "UPDATE review_states AS r SET family = i.lemmas ->> 0 FROM items AS i WHERE i.id = r.item_id",
    "sqlite": (
        "UPDATE review_states SET family = "
        "(SELECT json_extract(i.lemmas, '$[0]') FROM items AS i WHERE i.id = review_states.item_id)"
    ),
}


def upgrade() -> None:
    with op.batch_alter_table("review_states", schema=None) as batch_op:
        batch_op.add_column(sa.Column("family", sa.Text(), nullable=True))
    op.execute(_FILL[op.get_bind().dialect.name])
    with op.batch_alter_table("review_states", schema=None) as batch_op:
        batch_op.create_index(
            "ix_review_states_learner_family",
            ["learner_id", "family", sa.text("stability DESC"), "item_id"],
            unique=False,
        )


def downgrade() -> None:
    with op.batch_alter_table("review_states", schema=None) as batch_op:
        batch_op.drop_index("ix_review_states_learner_family")
        batch_op.drop_column("family")
