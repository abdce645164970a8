"""What the learner's app sees of an exercise: everything needed to show it, nothing that gives it away.

Answers never leave the server; word-order exercises arrive shuffled; media arrive as presigned URLs
(the app fetches them from the object store, never through the API); instructions and meanings come in
the learner's instruction language.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta
from typing import Any

import numpy as np

from learning_api.catalog.documents import Exercise
from learning_api.catalog.schemas import (
    ChoiceQuestion,
    ChoiceShown,
    ClozeShown,
    DialogueShown,
    FlashcardShown,
    InflectShown,
    ListenShown,
    MatchQuestion,
    OrderShown,
    Question,
    ReadingShown,
    ShortQuestion,
    ShownExercise,
    SpeakingShown,
    TranslateShown,
    TrueFalseQuestion,
    WritingShown,
)
from learning_api.i18n import translator
from learning_api.language import form_name
from learning_api.storage import ObjectStore

# msgids of the per-type instructions (the learner's language comes from the gettext catalogs)
INSTRUCTIONS = {
    "flashcard-et-native": "What does this word mean? Think, turn the card, then say how well you knew it.",
    "flashcard-native-et": "Write the Estonian word.",
    "choice": "Choose the right answer.",
    "cloze": "Fill in the gap with the right form of the word.",
    "inflect": "Write the word in the form asked for.",
    "translate": "Translate into Estonian.",
    "order": "Put the words in the right order.",
    "listen": "Listen and write what you hear.",
    "writing": "Write a text on the task. It is checked at once, then scored on the exam's criteria.",
    "speaking": "Record your answer to the task. It is scored on the exam's criteria.",
    "reading": "Read the text and answer the questions.",
    "dialogue": "Listen to the dialogue and answer the questions.",
}


def _shuffled(words: list[str], rng: np.random.Generator) -> list[str]:
    """A shuffle that is never the answer itself (when the words allow another order)."""
    if len(set(words)) < 2:
        return list(words)
    while True:
        order = rng.permutation(len(words))
        candidate = [words[i] for i in order]
        if candidate != words:
            return candidate


def instruction_key(exercise: Exercise) -> str:
    if exercise.type == "flashcard":
        return f"flashcard-{exercise.direction or 'et-native'}"
    return exercise.type


def render_exercise(
    exercise: Exercise,
    lang: str,
    store: ObjectStore,
    rng: np.random.Generator,
    media_ttl: timedelta = timedelta(hours=1),
    *,
    media_url: Callable[[str], str] | None = None,
) -> ShownExercise:
    """Blocking when the exercise has media (presigning may touch the store): call off the event loop.
    ``media_url`` maps an object key to the URL shown instead of presigning it (catalog documents that
    are cached use stable links: catalog.media)."""
    _ = translator(lang)
    link = media_url or (lambda key: store.presigned_get_url(key, media_ttl))
    common: dict[str, Any] = {
        "id": exercise.id,
        "skill": exercise.skill,
        "instruction": _(INSTRUCTIONS[instruction_key(exercise)]),
        "audio_url": link(exercise.audio) if exercise.audio else None,
        "image_url": link(exercise.image) if exercise.image else None,
    }
    kind = exercise.type
    if kind == "flashcard":
        meaning = (exercise.translations or {}).get(lang) or (exercise.translations or {}).get("en", "")
        if exercise.direction == "native-et":
            return FlashcardShown(**common, prompt=meaning)
        # the meaning is shown after the learner turns the card; self-graded
        return FlashcardShown(**common, prompt=exercise.lemma or "", back=meaning)
    if kind == "choice":
        return ChoiceShown(
            **common, prompt=exercise.prompt or "", options=_shuffled(list(exercise.options or []), rng)
        )
    if kind == "cloze":
        return ClozeShown(**common, text=exercise.text or "", hint=exercise.lemma)
    if kind == "inflect":
        return InflectShown(
            **common,
            lemma=exercise.lemma or "",
            form=exercise.form or "",
            form_name=form_name(exercise.form or "", lang),
            sentence=exercise.sentence or None,
        )
    if kind == "translate":
        source = exercise.source or {}
        return TranslateShown(**common, prompt=source.get(lang) or source.get("en", ""))
    if kind == "order":
        return OrderShown(**common, words=_shuffled(list(exercise.words or []), rng))
    if kind in ("reading", "dialogue"):
        return _comprehension(exercise, common, rng, link)
    if kind in ("writing", "speaking"):
        task = exercise.task or {}
        common |= {"task": task.get(lang) or task.get("en", ""), "task_et": task.get("et", "")}
        if kind == "writing":
            return WritingShown(
                **common, genre=exercise.genre, min_words=exercise.min_words, max_words=exercise.max_words
            )  # type: ignore[arg-type]
        return SpeakingShown(
            **common, mode=exercise.mode, min_seconds=exercise.min_seconds, max_seconds=exercise.max_seconds
        )  # type: ignore[arg-type]
    return ListenShown(**common)


def _comprehension(
    exercise: Exercise, common: dict[str, Any], rng: np.random.Generator, link: Callable[[str], str]
) -> ShownExercise:
    """A question with its text or dialogue (the passage its group shares; the dialogue's turns stay
    hidden: they would give the answers away)."""
    passage = exercise.passage
    if passage is None:
        raise ValueError(f"question {exercise.id} has no passage: decode its lesson with decode_lesson")
    shared: dict[str, Any] = {
        **common,
        "group": passage.id,
        "questions": len(passage.questions),
        "question": _question(exercise, _number(passage.questions, exercise.id), rng),
    }
    if exercise.type == "reading":
        return ReadingShown(**shared, genre=passage.genre, title=passage.title, text=passage.text or "")  # type: ignore[arg-type]
    shared["audio_url"] = link(passage.audio) if passage.audio else None
    return DialogueShown(**shared, situation=passage.situation or "", recording=passage.recording)  # type: ignore[arg-type]


def _number(questions: list[str], item_id: str) -> int:
    return questions.index(item_id) + 1 if item_id in questions else 1


def _question(exercise: Exercise, number: int, rng: np.random.Generator) -> Question:
    question_id = exercise.id.removeprefix(f"{exercise.group}-")
    if exercise.kind == "choice":
        options = _shuffled(list(exercise.options or []), rng)
        return ChoiceQuestion(id=question_id, number=number, prompt=exercise.prompt or "", options=options)
    if exercise.kind == "true-false":
        return TrueFalseQuestion(id=question_id, number=number, statement=exercise.statement or "")
    if exercise.kind == "match":
        rights = _shuffled(list(exercise.rights or []), rng)
        return MatchQuestion(
            id=question_id,
            number=number,
            prompt=exercise.prompt or "",
            lefts=list(exercise.lefts or []),
            rights=rights,
        )
    return ShortQuestion(id=question_id, number=number, prompt=exercise.prompt or "")
