"""submissions: writing and speaking answers and their human scores

Revision ID: 0014
Revises: 0015
Create Date: 2026-12-01 15:00:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

import learning_api.db.base

revision: str = "0014"
down_revision: str | None = "0015"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    utc = learning_api.db.base.UTCDateTime(timezone=True)
    op.create_table(
        "submissions",
        sa.Column("learner_id", sa.Uuid(), nullable=False),
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("item_id", sa.String(length=100), nullable=False),
        sa.Column("kind", sa.String(length=16), nullable=False),
        sa.Column("status", sa.String(length=16), nullable=False),
        sa.Column("created_at", utc, nullable=False),
        sa.Column("submitted_at", utc, nullable=True),
        sa.Column("task", sa.JSON(), nullable=False),
        sa.Column("model_answer", sa.Text(), nullable=True),
        sa.Column("text", sa.Text(), nullable=True),
        sa.Column("check", sa.JSON(), nullable=False),
        sa.Column("audio_key", sa.String(length=300), nullable=True),
        sa.Column("audio_type", sa.String(length=64), nullable=True),
        sa.Column("audio_bytes", sa.Integer(), nullable=True),
        sa.Column("scores", sa.JSON(), nullable=False),
        sa.Column("points", sa.Float(), nullable=True),
        sa.Column("comment", sa.Text(), nullable=False),
        sa.Column("scored_by", sa.Uuid(), nullable=True),
        sa.Column("scored_at", utc, nullable=True),
        sa.Column("evidence_applied", sa.Boolean(), nullable=False),
        sa.ForeignKeyConstraint(["item_id"], ["items.id"], name=op.f("fk_submissions_item_id_items")),
        sa.ForeignKeyConstraint(
            ["learner_id"], ["users.id"], name=op.f("fk_submissions_learner_id_users"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("learner_id", "id", name=op.f("pk_submissions")),
    )
    with op.batch_alter_table("submissions", schema=None) as batch_op:
        batch_op.create_index("ix_submissions_status_submitted", ["status", "submitted_at"], unique=False)
        batch_op.create_index("ix_submissions_learner_created", ["learner_id", "created_at"], unique=False)
        batch_op.create_index("ix_submissions_id", ["id"], unique=True)


def downgrade() -> None:
    with op.batch_alter_table("submissions", schema=None) as batch_op:
        batch_op.drop_index("ix_submissions_id")
        batch_op.drop_index("ix_submissions_learner_created")
        batch_op.drop_index("ix_submissions_status_submitted")
    op.drop_table("submissions")
