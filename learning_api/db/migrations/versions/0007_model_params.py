"""versioned model parameters

The table of the first wave (one row per scope and model, never written) is replaced by versioned
rows; a learner's own weights get a learner-owned table.

Revision ID: 0007
Revises: 0003
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

import learning_api.db.base

revision: str = "0007"
down_revision: str | None = "0003"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.drop_table("model_params")
    op.create_table(
        "model_params",
        sa.Column("model", sa.String(length=16), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("status", sa.String(length=16), nullable=False),
        sa.Column("params", sa.JSON(), nullable=False),
        sa.Column("scores", sa.JSON(), nullable=False),
        sa.Column("report", sa.JSON(), nullable=False),
        sa.Column("n_answers", sa.Integer(), nullable=False),
        sa.Column("created_at", learning_api.db.base.UTCDateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("model", "version", name=op.f("pk_model_params")),
    )
    with op.batch_alter_table("model_params", schema=None) as batch_op:
        batch_op.create_index("ix_model_params_model_status", ["model", "status"], unique=False)
    op.create_table(
        "learner_model_params",
        sa.Column("learner_id", sa.Uuid(), nullable=False),
        sa.Column("model", sa.String(length=16), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("weights", sa.JSON(), nullable=False),
        sa.Column("n_reviews", sa.Integer(), nullable=False),
        sa.Column("fitted_at", learning_api.db.base.UTCDateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["learner_id"], ["users.id"], name=op.f("fk_learner_model_params_learner_id_users"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("learner_id", "model", name=op.f("pk_learner_model_params")),
    )


def downgrade() -> None:
    op.drop_table("learner_model_params")
    with op.batch_alter_table("model_params", schema=None) as batch_op:
        batch_op.drop_index("ix_model_params_model_status")
    op.drop_table("model_params")
    op.create_table(
        "model_params",
        sa.Column("scope", sa.String(length=80), nullable=False),
        sa.Column("model", sa.String(length=32), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("weights", sa.JSON(), nullable=False),
        sa.Column("fitted_at", learning_api.db.base.UTCDateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("scope", "model", name=op.f("pk_model_params")),
    )
