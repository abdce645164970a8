"""All tables, imported together so ``Base.metadata`` is complete for Alembic and the app."""

from learning_api.db.tables.accounts import AuthToken, LearnerProfile, LoginFailure, User

__all__ = ["AuthToken", "LearnerProfile", "LoginFailure", "User"]
