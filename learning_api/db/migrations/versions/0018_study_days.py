"""study_days: answers and right answers per learner and local day, back-filled from the answer log

Revision ID: 0018
Revises: 0017
Create Date: 2026-12-01 22:50:00.000000

Progress read a learner's streak and answer total by scanning the answer log (a year of it for the
streak, all of it for the total); from now on every writer of the log counts its answers per local day
here (`db.study_days`) and progress reads these rows. The back-fill counts the log written so far by the
same rule: each answer on its local date in the zone the learner's profile names now (the profile's
default zone without one). Answers kept under a deleted account's random id belong to no user and are
not counted: the table is about the person. PostgreSQL does it in one statement with ``timezone()``;
SQLite has no time zones in SQL, so the rows are counted in Python, one learner at a time (memory stays
bounded by one learner's days), and inserted in chunks.
"""

from collections.abc import Sequence
from zoneinfo import ZoneInfo

import sqlalchemy as sa
from alembic import op

import learning_api.db.base
from learning_api.db.study_days import day_counts
from learning_api.db.tables.accounts import DEFAULT_TIME_ZONE

revision: str = "0018"
down_revision: str | None = "0017"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

_CHUNK = 5_000  # day rows per INSERT on SQLite

_PG_FILL = sa.text(
    "INSERT INTO study_days (learner_id, day, answers, correct) "
    "SELECT a.learner_id, to_char(timezone(coalesce(p.time_zone, :zone), a.answered_at), 'YYYY-MM-DD'), "
    "count(*), count(*) FILTER (WHERE a.correct) "
    "FROM answers AS a JOIN users AS u ON u.id = a.learner_id "
    "LEFT JOIN learner_profiles AS p ON p.user_id = a.learner_id "
    "GROUP BY 1, 2"
)

_answers = sa.table(
    "answers",
    sa.column("learner_id", sa.Uuid()),
    sa.column("answered_at", learning_api.db.base.UTCDateTime(timezone=True)),
    sa.column("correct", sa.Boolean()),
)
_users = sa.table("users", sa.column("id", sa.Uuid()))
_profiles = sa.table("learner_profiles", sa.column("user_id", sa.Uuid()), sa.column("time_zone", sa.String()))
_study_days = sa.table(
    "study_days",
    sa.column("learner_id", sa.Uuid()),
    sa.column("day", sa.String()),
    sa.column("answers", sa.Integer()),
    sa.column("correct", sa.Integer()),
)


def upgrade() -> None:
    op.create_table(
        "study_days",
        sa.Column("learner_id", sa.Uuid(), nullable=False),
        sa.Column("day", sa.String(length=10), nullable=False),
        sa.Column("answers", sa.Integer(), nullable=False),
        sa.Column("correct", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["learner_id"], ["users.id"], name=op.f("fk_study_days_learner_id_users"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("learner_id", "day", name=op.f("pk_study_days")),
    )
    bind = op.get_bind()
    if bind.dialect.name == "postgresql":
        bind.execute(_PG_FILL, {"zone": DEFAULT_TIME_ZONE})
    else:
        _fill_in_python(bind)


def _fill_in_python(bind: sa.Connection) -> None:
    """One learner's answers at a time (the primary key's prefix), counted by `day_counts`."""
    learners = bind.execute(
        sa.select(_users.c.id, sa.func.coalesce(_profiles.c.time_zone, DEFAULT_TIME_ZONE))
        .select_from(_users.outerjoin(_profiles, _profiles.c.user_id == _users.c.id))
        .where(sa.exists().where(_answers.c.learner_id == _users.c.id))
    ).all()
    rows: list[dict] = []
    for learner, zone in learners:
        answers = bind.execute(
            sa.select(_answers.c.learner_id, _answers.c.answered_at, _answers.c.correct).where(
                _answers.c.learner_id == learner
            )
        )
        rows += day_counts(answers, ZoneInfo(zone))
        if len(rows) >= _CHUNK:
            bind.execute(sa.insert(_study_days), rows)
            rows = []
    if rows:
        bind.execute(sa.insert(_study_days), rows)


def downgrade() -> None:
    op.drop_table("study_days")
