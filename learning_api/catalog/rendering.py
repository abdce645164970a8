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
) -> dict[str, Any]:
    """Blocking when the exercise has media (presigning may touch the store): call off the event loop.
    ``media_url`` maps an object key to the URL shown instead of presigning it (catalog documents that
    are cached use stable links: catalog.media)."""
    _ = translator(lang)
    shown: dict[str, Any] = {
        "id": exercise.id,
        "type": exercise.type,
        "skill": exercise.skill,
        "instruction": _(INSTRUCTIONS[instruction_key(exercise)]),
    }
    if exercise.type == "flashcard":
        meaning = (exercise.translations or {}).get(lang) or (exercise.translations or {}).get("en", "")
        if exercise.direction == "native-et":
            shown["prompt"] = meaning
        else:
            shown["prompt"] = exercise.lemma
            shown["back"] = meaning  # shown after the learner turns the card; self-graded
    elif exercise.type == "choice":
        shown["prompt"] = exercise.prompt
        shown["options"] = _shuffled(list(exercise.options or []), rng)
    elif exercise.type == "cloze":
        shown["text"] = exercise.text
        shown["hint"] = exercise.lemma
    elif exercise.type == "inflect":
        shown["lemma"] = exercise.lemma
        shown["form"] = exercise.form
        shown["form_name"] = form_name(exercise.form or "", lang)
        if exercise.sentence:
            shown["sentence"] = exercise.sentence
    elif exercise.type == "translate":
        source = exercise.source or {}
        shown["prompt"] = source.get(lang) or source.get("en", "")
    elif exercise.type == "order":
        shown["words"] = _shuffled(list(exercise.words or []), rng)
    link = media_url or (lambda key: store.presigned_get_url(key, media_ttl))
    if exercise.audio:
        shown["audio_url"] = link(exercise.audio)
    if exercise.image:
        shown["image_url"] = link(exercise.image)
    return shown
