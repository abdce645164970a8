"""study_order: how a learner's sessions pick new material (adaptive, or the course in order)

Revision ID: 0016
Revises: 0014
Create Date: 2026-12-01 17:40:00.000000
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0016"
down_revision: str | None = "0014"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("learner_profiles", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column("study_order", sa.String(length=16), nullable=False, server_default="adaptive")
        )


def downgrade() -> None:
    with op.batch_alter_table("learner_profiles", schema=None) as batch_op:
        batch_op.drop_column("study_order")
