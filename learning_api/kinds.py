"""The closed sets the API and the content speak of, each written once.

They are ``Literal`` types so msgspec checks them on input and the OpenAPI document lists their values
(clients generate enums from them); the tuples beside them serve code that iterates.
"""

from __future__ import annotations

from typing import Literal, get_args

Language = Literal["et", "en", "ru", "uk"]
Level = Literal["A1", "A2", "B1", "B2", "C1"]
Skill = Literal["vocabulary", "grammar", "reading", "listening", "writing"]
ExerciseType = Literal["flashcard", "choice", "cloze", "inflect", "translate", "order", "listen"]
Topic = Literal[
    "greetings", "self", "family", "home", "food", "shopping", "time", "weather", "health", "work",
    "study", "transport", "town", "services", "culture", "holidays", "history", "leisure", "nature",
]  # fmt: skip
# how an answer was judged: the language core's verdicts, and "self" for flashcards the learner grades
Verdict = Literal["exact", "accepted", "diacritics", "typo", "wrong_form", "wrong", "self"]

LANGUAGES: tuple[str, ...] = get_args(Language)
LEVELS: tuple[str, ...] = get_args(Level)
SKILLS: tuple[str, ...] = get_args(Skill)
EXERCISE_TYPES: tuple[str, ...] = get_args(ExerciseType)
TOPICS: tuple[str, ...] = get_args(Topic)
