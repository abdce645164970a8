"""The check a learner's text gets at once, before any person reads it: its length against the task's
limits, the words Vabamorf's lexicon does not know, and the forms it does not have.

Blocking (Vabamorf): call it off the event loop. A "form error" is a word the lexicon lacks whose stem
Vabamorf's guesser still recognises as a word it knows ("kookit": kook's stem with an ending Estonian
does not put there); a word with no such stem is an unknown word (a misspelling, a foreign word). The
check stores facts only; the feedback is worded in the reader's language each time it is shown.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from learning_api.language import count_words, get_morphology

MAX_TEXT_CHARS = 10_000  # far beyond any task's word limit: a guard, not a rule


def check_text(text: str, min_words: int, max_words: int) -> dict[str, Any]:
    morphology = get_morphology()
    words = count_words(text)
    unknown: list[str] = []
    forms: list[dict[str, str]] = []
    for token in morphology.analyse(text):
        if not token.is_word or token.known or any(ch.isdigit() for ch in token.text):
            continue
        stem_known = token.lemma.casefold() != token.text.casefold() and morphology.is_known(token.lemma)
        if stem_known and token.text not in (f["word"] for f in forms):
            forms.append({"word": token.text, "lemma": token.lemma})
        elif not stem_known and token.text not in unknown:
            unknown.append(token.text)
    length = "short" if words < min_words else "long" if words > max_words else "ok"
    return {
        "words": words,
        "min_words": min_words,
        "max_words": max_words,
        "length": length,
        "unknown_words": unknown,
        "form_errors": forms,
    }


def feedback(check: dict[str, Any], _: Callable[[str], str]) -> list[str]:
    """The check in the learner's language (``_`` is their gettext)."""
    limits = {"count": check["words"], "least": check["min_words"], "most": check["max_words"]}
    out = [
        _("Your text has {count} words: the task asks for {least} to {most}.").format(**limits)
        if check["length"] != "ok"
        else _("Your text has {count} words, within the task's {least} to {most}.").format(**limits)
    ]
    if check["unknown_words"]:
        out.append(
            _("Words the dictionary does not know (check the spelling): {words}").format(
                words=", ".join(check["unknown_words"])
            )
        )
    if check["form_errors"]:
        out.append(
            _("Forms Estonian does not have: {words}").format(
                words=", ".join(f"{f['word']} ({f['lemma']})" for f in check["form_errors"])
            )
        )
    if not check["unknown_words"] and not check["form_errors"]:
        out.append(_("Every word is one Estonian has."))
    return out
