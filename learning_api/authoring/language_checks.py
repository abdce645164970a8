"""The checks that need Vabamorf: every Estonian word is in its lexicon (or listed on purpose), cloze
answers are forms of their lemma, and every inflect exercise has a form Vabamorf can synthesise."""

from __future__ import annotations

from collections.abc import Collection, Iterable, Mapping

from learning_api.authoring.checks import Checker
from learning_api.authoring.schema import GAP, LessonFacts
from learning_api.language import Morphology, Verdict, get_morphology, grade
from learning_api.language.morphology import Analysis
from learning_api.language.synthesis import inflect
from learning_api.language.tokens import is_word, tokenise

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


def synthesise(lemma: str, form: str, pos: str = "", hints: Iterable[str] = ()) -> list[str]:
    """The accepted spellings of a form, model answer first (`language.synthesis.inflect`); the
    vocabulary's part of speech and the words of its example pick between homonyms."""
    return inflect(lemma, form, VABAMORF_POS.get(pos, ""), hints)


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
    for line, lemma, answer, _ in facts.cloze:
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


PERSON_SETS = (
    ("n", "d", "me", "te"),
    ("sin", "sid", "sime", "site"),
    ("ksin", "ksid", "ksime", "ksite"),
)
"""1st and 2nd person endings of one tense: with the subject left out, any of them fits a gap."""
_NOMINATIVES = ("sg n", "pl n")


def check_second_fits(facts: LessonFacts, check: Checker) -> None:
    """Warn where an item has a second right answer the learner could take: a choice option the grader
    accepts for the answer (a parallel form, the other illative, the same sentence in another order), or a
    cloze gap for a 1st or 2nd person verb with no subject in the sentence to fix the person
    ("Eile ___ kinno." takes läksin, läksid, läksime and läksite alike)."""
    for line, _prompt, answer, options in facts.choices:
        for option in options:
            verdict = grade(option, [answer], sentence=len(answer.split()) > 1).verdict
            if option != answer and verdict in (Verdict.EXACT, Verdict.ACCEPTED):
                check.warn(line, f"option '{option}' fits too: the grader takes it for the answer '{answer}'")
    morphology = get_morphology()
    for line, lemma, answer, text in facts.cloze:
        persons = {a.form for word in answer.split() for a in morphology.analyse_word(word.strip(".,!?"))
                   if a.lemma == lemma.split()[0] and a.pos == "V"}  # fmt: skip
        same_tense = next((codes for codes in PERSON_SETS if persons & set(codes)), None)
        if same_tense is None or _has_subject(text.replace(GAP, " "), morphology):
            continue
        others = [
            word for code in same_tense if code not in persons for word in synthesise(lemma, code, "verb")
        ]
        check.warn(
            line,
            f"cloze '{answer}' has no subject to fix its person, so {', '.join(others)} fit too: "
            "add the subject or accept them",
        )


COUNTING_WORDS = frozenset(("mitu", "paar"))


def check_numeral_agreement(facts: LessonFacts, check: Checker) -> None:
    """Warn where an inflect item asks for a plural right after a cardinal numeral (adjectives between
    them allowed): a numeral in the singular takes its noun in the singular ("kolm armsat kassipoega",
    "kahe maja", "mitu viidet"), so the synthesised plural would be a wrong model answer. A plural numeral
    ("sadu inimesi") or a numeral counting another noun ("kaks kilo sibulaid") is left alone."""
    morphology = get_morphology()
    for line, form, sentence in facts.inflect_contexts:
        if not form.startswith("pl "):
            continue
        for word in reversed([w.strip('.,!?;:«»"') for w in sentence.split(GAP, 1)[0].split()]):
            analyses = morphology.analyse_word(word)
            if word.isdigit() or any(_counts(a) for a in analyses):
                check.warn(line, f"'{word}' counts the gap's noun, which then stays singular: ask for 'sg' "
                           f"instead of '{form}'")  # fmt: skip
            if word.isdigit() or not analyses or any(a.pos != "A" for a in analyses):
                break  # only adjectives stand between a numeral and its noun


def _counts(analysis: Analysis) -> bool:
    singular_numeral = analysis.pos == "N" and analysis.lemma != "üks" and not analysis.form.startswith("pl")
    return singular_numeral or analysis.lemma in COUNTING_WORDS


def _has_subject(text: str, morphology: Morphology) -> bool:
    words = (token.text for token in tokenise(text) if is_word(token))
    return any(
        a.form in _NOMINATIVES and a.pos in ("P", "S", "H", "N")
        for word in words
        for a in morphology.analyse_word(word)
    )
