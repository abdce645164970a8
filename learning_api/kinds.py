"""The closed sets the API and the content speak of, each written once.

They are ``Literal`` types so msgspec checks them on input and the OpenAPI document lists their values
(clients generate enums from them); the tuples beside them serve code that iterates.
"""

from __future__ import annotations

from typing import Literal, get_args

Language = Literal["et", "en", "ru", "uk"]
Level = Literal["A1", "A2", "B1", "B2", "C1"]
Skill = Literal["vocabulary", "grammar", "reading", "listening", "writing"]
ExerciseType = Literal[
    "flashcard", "choice", "cloze", "inflect", "translate", "order", "listen", "reading", "dialogue",
]  # fmt: skip
# a question of a reading text or a dialogue (each question is an item of its own)
QuestionKind = Literal["choice", "true-false", "match", "short"]
TrueFalse = Literal["true", "false", "not-given"]  # the answers of a true-false question
Voice = Literal["f1", "f2", "f3", "m1", "m2", "m3"]  # espeak-ng's Estonian variants et+f1 ... et+m3
Recording = Literal["synthetic", "human"]  # who speaks a dialogue: espeak-ng or a person
ReadingGenre = Literal["ad", "notice", "email", "letter", "article", "story", "form", "web-page"]
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
QUESTION_KINDS: tuple[str, ...] = get_args(QuestionKind)
TRUE_FALSE: tuple[str, ...] = get_args(TrueFalse)
VOICES: tuple[str, ...] = get_args(Voice)
RECORDINGS: tuple[str, ...] = get_args(Recording)
READING_GENRES: tuple[str, ...] = get_args(ReadingGenre)
