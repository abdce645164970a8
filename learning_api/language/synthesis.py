"""The forms an inflect item accepts, model answer first: the lemma's own homonym, both illatives, and the
common form before the bookish one.

- Vabamorf synthesises every paradigm filed under one lemma: "kool" gives "kooli" (school) and "koola", "kott"
  gives "koti" and "kota". A form of the word from the lesson (the vocabulary example "Kas te soovite
  kotti?") goes to Vabamorf as its hint, which keeps only the paradigm that has that form.
- The short and the long illative are one case (`forms.TWIN_FORMS`): an item asking for one accepts the
  other, and the form asked for comes first.
- In the plural's oblique cases Vabamorf may list the bookish i-plural (käsisse, raamatuist, jalus) before
  the form built on the (longest) plural genitive (kätesse, raamatutest, jalgades), which learners are
  taught and hear; that one comes first.
"""

from __future__ import annotations

from collections.abc import Iterable

from learning_api.language.forms import TWIN_FORMS
from learning_api.language.morphology import Morphology, get_morphology

PROBE_FORMS = (
    "sg g",
    "sg p",
    "adt",
    "sg ill",
    "sg in",
    "sg el",
    "sg ad",
    "sg kom",
    "pl n",
    "pl g",
    "pl p",
    "pl in",
)
"""Forms enough to tell two paradigms of one lemma apart by the words of a lesson."""
GENITIVE_STEM_CASES = frozenset(
    ("pl ill", "pl in", "pl el", "pl all", "pl ad", "pl abl", "pl tr", "pl ter", "pl es", "pl ab", "pl kom")
)


def inflect(
    lemma: str,
    form: str,
    pos: str = "",
    hints: Iterable[str] = (),
    morphology: Morphology | None = None,
) -> list[str]:
    """Every accepted spelling of `lemma` in `form`, the model answer first; empty if Vabamorf has none.

    `pos` is a Vabamorf code ("S", "V"); it is dropped when Vabamorf files the word under another part of
    speech (a participle used as an adjective). `hints` are words of the lesson; those that are forms of
    the lemma pick its homonym.
    """
    morphology = morphology or get_morphology()
    if pos and not morphology.synthesise(lemma, form, pos):
        pos = ""
    own = [hint for hint in dict.fromkeys(hints) if hint.casefold() != lemma.casefold()]
    own = [hint for hint in own if morphology.is_form_of(hint, lemma)]
    words: list[str] = []
    for code in (form, TWIN_FORMS.get(form)):
        if code:
            words += _own_homonym(morphology, lemma, code, pos, own)
    words = list(dict.fromkeys(words))
    if form in GENITIVE_STEM_CASES and len(words) > 1:
        stems = _own_homonym(morphology, lemma, "pl g", pos, own)
        words.sort(key=lambda word: -max((len(stem) for stem in stems if word.startswith(stem)), default=0))
    return words


def _own_homonym(morphology: Morphology, lemma: str, code: str, pos: str, hints: list[str]) -> list[str]:
    """The spellings of `code` in the paradigm that has one of the hint words, when exactly one has.

    Vabamorf's own hint only narrows from some forms (the genitive "kooli" does, the inessive "koolis" does
    not); failing that, each paradigm is keyed by its singular genitive and its forms are probed for the
    hints."""
    words = morphology.synthesise(lemma, code, pos)
    if len(words) < 2 or not hints:
        return words
    for hint in hints:
        narrowed = morphology.synthesise(lemma, code, pos, hint)
        if narrowed and set(narrowed) < set(words):
            return narrowed
    keys = morphology.synthesise(lemma, "sg g", pos)
    having = [key for key in keys if set(hints) & _paradigm(morphology, lemma, pos, key)]
    if len(having) != 1 or len(keys) < 2:
        return words
    narrowed = morphology.synthesise(lemma, code, pos, having[0])
    return narrowed if narrowed and set(narrowed) < set(words) else words


def _paradigm(morphology: Morphology, lemma: str, pos: str, key: str) -> set[str]:
    return {word for code in PROBE_FORMS for word in morphology.synthesise(lemma, code, pos, key)}
