"""The /catalog API contract: courses, published lessons with rendered exercises, items.

An exercise as the learner's app sees it is one of the ``*Shown`` structs, told apart by ``type`` (a
tagged union: clients generate one class per exercise type and switch on the tag).
"""

from __future__ import annotations

import msgspec

from learning_api.kinds import (
    ExerciseType,
    Language,
    Level,
    ReadingGenre,
    Recording,
    Skill,
    SpeakingMode,
    Topic,
    WritingGenre,
)
from learning_api.pagination import Page


class CourseOut(msgspec.Struct):
    id: str
    title: dict[str, str]
    lessons: int  # published ones


class LessonOut(msgspec.Struct):
    id: str
    course: str
    level: Level
    topic: Topic
    position: int
    title: dict[str, str]
    version: int


class CoursePage(Page[CourseOut]):
    pass


class LessonPage(Page[LessonOut]):
    pass


class _Shown(msgspec.Struct, kw_only=True, omit_defaults=True, tag_field="type"):
    """What every exercise shows: which one, the skill it trains, the task in the learner's language."""

    id: str
    skill: Skill
    instruction: str
    audio_url: str | None = None  # a short-lived presigned URL (or a stable catalog link)
    image_url: str | None = None


class FlashcardShown(_Shown, tag="flashcard"):
    """et-native: the Estonian word, its meaning on ``back`` (self-graded); native-et: write the word."""

    prompt: str
    back: str | None = None


class ChoiceShown(_Shown, tag="choice"):
    prompt: str
    options: list[str]  # shuffled


class ClozeShown(_Shown, tag="cloze"):
    text: str  # a sentence with one ___
    hint: str | None = None  # the lemma to put in the right form


class InflectShown(_Shown, tag="inflect"):
    lemma: str
    form: str  # Vabamorf form code, e.g. "pl p"
    form_name: str  # the form named in the learner's language
    sentence: str | None = None  # context with ___


class TranslateShown(_Shown, tag="translate"):
    prompt: str  # the sentence in the learner's language


class OrderShown(_Shown, tag="order"):
    words: list[str]  # shuffled, never in the answer's order


class ListenShown(_Shown, tag="listen"):
    """Write what ``audio_url`` says."""


class WritingShown(_Shown, tag="writing"):
    """Write a text on ``task`` (POST /submissions/writing); checked at once, then scored by a person."""

    genre: WritingGenre
    task: str  # in the learner's language
    task_et: str  # as the exam sets it, in Estonian
    min_words: int
    max_words: int


class SpeakingShown(_Shown, tag="speaking"):
    """Record an answer to ``task`` (POST /submissions/speaking, then upload, then confirm)."""

    mode: SpeakingMode
    task: str  # in the learner's language
    task_et: str
    min_seconds: int
    max_seconds: int


class _Question(msgspec.Struct, kw_only=True, tag_field="kind"):
    """One question about a reading text or a dialogue, told apart by ``kind``. ``id`` is the question's
    id in its exercise (the item id is ``<group>-<id>``), ``number`` its place among the group's questions
    (1 = first)."""

    id: str
    number: int


class ChoiceQuestion(_Question, tag="choice"):
    """Answer with the text of one option."""

    prompt: str
    options: list[str]  # shuffled


class TrueFalseQuestion(_Question, tag="true-false"):
    """Is ``statement`` what the text says? Answer `true`, `false` or `not-given` (the text does not say)."""

    statement: str


class MatchQuestion(_Question, tag="match"):
    """Give each of ``lefts`` its right: the chosen rights in the order of ``lefts``, one a line (joined by
    "\\n"), each written as in ``rights``."""

    prompt: str
    lefts: list[str]
    rights: list[str]  # shuffled; each belongs to exactly one left


class ShortQuestion(_Question, tag="short"):
    """Answer in a word or a few words of Estonian; graded like a translation (forms, typos, diacritics)."""

    prompt: str


Question = ChoiceQuestion | TrueFalseQuestion | MatchQuestion | ShortQuestion


class ReadingShown(_Shown, tag="reading"):
    """One question about a text. Each question is an item of its own (answered with POST /study/answers
    like any item); a session serves all the questions of a text together, in order, each repeating the
    text, so an app shows the text once for the items that share ``group``."""

    group: str  # the reading exercise: the items with the same group share this text
    questions: int  # how many questions the text has
    genre: ReadingGenre
    text: str  # in Estonian; line breaks as the author wrote them
    question: Question
    title: str | None = None  # the text's heading, in Estonian


class DialogueShown(_Shown, tag="dialogue"):
    """One question about a dialogue heard at ``audio_url``. As with reading, the questions of one dialogue
    come together and share ``group``. The transcript is not shown: once the learner has answered every
    question of the dialogue, GET /study/dialogues/{group}/transcript gives it."""

    group: str  # the dialogue exercise: the items with the same group share this recording
    questions: int
    situation: str  # one Estonian sentence shown before listening
    recording: Recording  # synthetic (a speech synthesiser's voices) or human
    question: Question


ShownExercise = (
    FlashcardShown
    | ChoiceShown
    | ClozeShown
    | InflectShown
    | TranslateShown
    | OrderShown
    | ListenShown
    | WritingShown
    | SpeakingShown
    | ReadingShown
    | DialogueShown
)


class VocabularyOut(msgspec.Struct):
    lemma: str
    pos: str
    meaning: str  # in the learner's language
    example: str


class LessonDetail(msgspec.Struct):
    id: str
    course: str
    level: Level
    topic: Topic
    position: int
    version: int
    language: Language  # of title, instructions, meanings and tasks below
    title: str
    instructions: str
    grammar: list[str]
    vocabulary: list[VocabularyOut]
    exercises: list[ShownExercise]


class ItemOut(msgspec.Struct):
    id: str
    lesson_id: str
    lesson_version: int
    type: ExerciseType
    level: Level
    skill: Skill
    topic: Topic
    lemmas: list[str]
    grammar: list[str]
    exercise: ShownExercise
