"""The checks that need Vabamorf: every Estonian word is in its lexicon (or listed on purpose), cloze
answers are forms of their lemma, and every inflect exercise has a form Vabamorf can synthesise."""

from __future__ import annotations

from collections.abc import Collection, Mapping

from learning_api.authoring.checks import Checker
from learning_api.authoring.schema import LessonFacts
from learning_api.language import get_morphology

VABAMORF_POS = {"noun": "S", "verb": "V", "adj": "A", "adv": "D", "pron": "P", "num": "N", "conj": "J",
                "adp": "K", "interj": "I", "phrase": ""}  # fmt: skip


def unknown_words(facts: LessonFacts, known: Collection[str]) -> list[tuple[int, str]]:
    """(line, word) for each word Vabamorf does not know and known_words.txt does not list. A token with a
    digit ("A2", "5G") is a code, not a word the lexicon could know."""
    morphology = get_morphology()
    found: dict[tuple[int, str], None] = {}
    for line, text in facts.estonian:
        for word in morphology.unknown_words(text):
            if word.casefold() not in known and not any(ch.isdigit() for ch in word):
                found[line, word] = None
    return list(found)


def synthesise(lemma: str, form: str, pos: str = "") -> list[str]:
    """Vabamorf's spellings of a form; the vocabulary's part of speech picks between homonyms, and is
    dropped when Vabamorf files the word under another one (a participle used as an adjective)."""
    morphology = get_morphology()
    return morphology.synthesise(lemma, form, VABAMORF_POS.get(pos, "")) or morphology.synthesise(lemma, form)


def cloze_answer_fits(lemma: str, answer: str) -> bool:
    """Each word of the lemma ("kokku leppima") must be the lemma of some word of the answer
    ("leppisime kokku"); an answer word that only repeats a lemma word as written counts too."""
    morphology = get_morphology()
    answer_words = [word.strip(".,!?;:") for word in answer.split()]
    return all(
        any(morphology.is_form_of(word, part) or word.casefold() == part.casefold() for word in answer_words)
        for part in lemma.split()
    )


def check_language(
    facts: LessonFacts, check: Checker, known: Collection[str], vocabulary_pos: Mapping[str, str]
) -> list[str]:
    """Record the problems; return the unknown words (for `content stats`)."""
    unknown = unknown_words(facts, known)
    for line, word in unknown:
        check.add(line, f"unknown Estonian word '{word}': fix the spelling or list it in known_words.txt")
    morphology = get_morphology()
    for line, lemma, answer in facts.cloze:
        if not cloze_answer_fits(lemma, answer):
            readings = ", ".join(f"{lem} {form}".strip() for lem, form in morphology.forms_of(answer))
            check.add(
                line,
                f"cloze answer '{answer}' is not a form of '{lemma}' for Vabamorf"
                + (f" (it reads: {readings})" if readings else " (it does not know the word)"),
            )
    for line, lemma, form in facts.inflect:
        if not synthesise(lemma, form, vocabulary_pos.get(lemma, "")):
            check.add(line, f"Vabamorf has no form '{form}' of '{lemma}'")
    return [word for _, word in unknown]
