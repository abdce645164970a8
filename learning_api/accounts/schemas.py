"""Accounts API contract: what sign-up, log-in and the profile accept and return."""

from __future__ import annotations

import uuid
from datetime import date, datetime
from typing import Annotated, Literal

import msgspec

from learning_api.kinds import StudyOrder

Role = Literal["learner", "teacher", "counsellor", "author", "admin"]
Language = Literal["et", "en", "ru", "uk"]
Level = Literal["A1", "A2", "B1", "B2", "C1"]
# Estonia's fifteen counties, with Tallinn apart from the rest of Harju county (the organisation reports
# on it on its own), plus "abroad" for the diaspora and "" for not said.
Region = Literal[
    "",
    "Tallinn",
    "Harjumaa",
    "Hiiumaa",
    "Ida-Virumaa",
    "Jõgevamaa",
    "Järvamaa",
    "Läänemaa",
    "Lääne-Virumaa",
    "Põlvamaa",
    "Pärnumaa",
    "Raplamaa",
    "Saaremaa",
    "Tartumaa",
    "Valgamaa",
    "Viljandimaa",
    "Võrumaa",
    "abroad",
]

# The syntax is checked by email-validator in the service (a regular expression here let "a@b..ee" in).
Email = Annotated[str, msgspec.Meta(min_length=3, max_length=320, extra_json_schema={"format": "email"})]
# New passwords: at least 8 characters, and not guessable (zxcvbn, checked in the service).
Password = Annotated[str, msgspec.Meta(min_length=8, max_length=200)]
GivenPassword = Annotated[str, msgspec.Meta(min_length=1, max_length=200)]


class RegisterIn(msgspec.Struct, forbid_unknown_fields=True):
    email: Email
    password: Password
    display_name: Annotated[str, msgspec.Meta(max_length=100)] = ""
    instruction_language: Language = "en"


class LoginIn(msgspec.Struct, forbid_unknown_fields=True):
    email: Annotated[str, msgspec.Meta(min_length=1, max_length=320)]
    password: GivenPassword


class RefreshIn(msgspec.Struct, forbid_unknown_fields=True):
    refresh_token: Annotated[str, msgspec.Meta(min_length=1, max_length=200)]


class PasswordChange(msgspec.Struct, forbid_unknown_fields=True):
    current_password: GivenPassword
    new_password: Password


class TokenOut(msgspec.Struct):
    """``token`` is the access token (send it as ``Authorization: Bearer``); it lives ``expires_in``
    seconds. Before then, trade ``refresh_token`` (one use) at ``/auth/refresh`` for a new pair."""

    token: str
    token_type: str
    expires_in: int
    expires_at: datetime
    refresh_token: str
    refresh_expires_at: datetime
    user_id: uuid.UUID
    role: Role


class UserOut(msgspec.Struct):
    id: uuid.UUID
    email: str
    role: Role
    display_name: str
    created_at: datetime


class ProfileOut(msgspec.Struct):
    native_language: str
    instruction_language: Language
    region: Region
    time_zone: str
    target_level: Level
    target_exam_date: date | None
    daily_goal_minutes: int
    daily_goal_items: int
    # adaptive: sessions skip what the learner is shown to know; course: every exercise in course order
    study_order: StudyOrder


class ProfileUpdate(msgspec.Struct, forbid_unknown_fields=True, omit_defaults=True):
    """Partial update: a field left out keeps its value."""

    native_language: Annotated[str, msgspec.Meta(max_length=8)] | msgspec.UnsetType = msgspec.UNSET
    instruction_language: Language | msgspec.UnsetType = msgspec.UNSET
    region: Region | msgspec.UnsetType = msgspec.UNSET
    time_zone: Annotated[str, msgspec.Meta(max_length=64)] | msgspec.UnsetType = msgspec.UNSET
    target_level: Level | msgspec.UnsetType = msgspec.UNSET
    target_exam_date: date | msgspec.UnsetType | None = msgspec.UNSET
    daily_goal_minutes: Annotated[int, msgspec.Meta(ge=1, le=600)] | msgspec.UnsetType = msgspec.UNSET
    daily_goal_items: Annotated[int, msgspec.Meta(ge=1, le=500)] | msgspec.UnsetType = msgspec.UNSET
    study_order: StudyOrder | msgspec.UnsetType = msgspec.UNSET


class RoleChange(msgspec.Struct, forbid_unknown_fields=True):
    role: Role
