"""The closed sets the API and the content speak of, each written once.

They are ``Literal`` types so msgspec checks them on input and the OpenAPI document lists their values
(clients generate enums from them); the tuples beside them serve code that iterates.
"""

from __future__ import annotations

from enum import StrEnum
from typing import Literal, get_args

Language = Literal["et", "en", "ru", "uk"]
Level = Literal["A1", "A2", "B1", "B2", "C1"]
Skill = Literal["vocabulary", "grammar", "reading", "listening", "writing", "speaking"]
ExerciseType = Literal[
    "flashcard", "choice", "cloze", "inflect", "translate", "order", "listen", "writing", "speaking",
    "reading", "dialogue",
]  # fmt: skip
# answered freely (a text, a recording) and scored by a person on the exam's rubric, never by the server
HumanScoredType = Literal["writing", "speaking"]
WritingGenre = Literal["email", "letter", "form", "opinion", "story", "description"]
SpeakingMode = Literal["describe", "role-play", "opinion", "interview"]
# a submission's life: pending until a person scores it; "self_assessed" is the learner's own score
SubmissionStatus = Literal["uploading", "pending", "scored", "self_assessed"]
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


class StudyOrder(StrEnum):
    """How a learner's sessions pick new material (the rule: `study.selection.new_material`). An enum, as
    the code branches on it (a member name cannot be misspelt where a string could)."""

    ADAPTIVE = "adaptive"  # skip what the learner is shown to know; a remembered family comes back as reviews
    COURSE = "course"  # every exercise of the course in order, nothing skipped: a class following the book


LANGUAGES: tuple[str, ...] = get_args(Language)
LEVELS: tuple[str, ...] = get_args(Level)
SKILLS: tuple[str, ...] = get_args(Skill)
EXERCISE_TYPES: tuple[str, ...] = get_args(ExerciseType)
TOPICS: tuple[str, ...] = get_args(Topic)
HUMAN_SCORED_TYPES: tuple[str, ...] = get_args(HumanScoredType)
WRITING_GENRES: tuple[str, ...] = get_args(WritingGenre)
SPEAKING_MODES: tuple[str, ...] = get_args(SpeakingMode)
QUESTION_KINDS: tuple[str, ...] = get_args(QuestionKind)
TRUE_FALSE: tuple[str, ...] = get_args(TrueFalse)
VOICES: tuple[str, ...] = get_args(Voice)
RECORDINGS: tuple[str, ...] = get_args(Recording)
READING_GENRES: tuple[str, ...] = get_args(ReadingGenre)
