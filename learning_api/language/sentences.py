"""What a sentence answer (translate and order items) may do otherwise than the model answer and still be
right Estonian.

- Word order: Estonian orders the phrases of a clause freely ("Ma elan Tallinnas", "Tallinnas elan ma",
  "Ma Tallinnas elan"), but a phrase keeps its words together and in order: a modifier stays before its
  noun (kaks venda, suur maja, minu õde), a genitive before its noun or postposition (Euroopa Liidu
  kodanikud, arsti juurde), "ei" and "ära" before the verb, an intensifier or "ka" before its word, a
  conjunction between what it joins. A question keeps its first word first; clauses split by a comma keep
  their order. Vabamorf's disambiguated reading of the model answer finds the phrases; where it cannot read
  a word, the whole clause is one phrase, so an unsure reading never lets a wrong order through.
- The subject pronoun of the 1st and 2nd person may be left out, or added, when the verb's ending shows
  the person ("Elan Tallinnas." for "Ma elan Tallinnas."); "Ma ei tea" keeps it, since "ei tea" does not.
- A cardinal number may be written in digits, in any case form of the numeral ("Mul on 2 venda.").
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from functools import lru_cache

from learning_api.language.morphology import Morphology
from learning_api.language.normalise import clean
from learning_api.language.spelling import damerau_levenshtein, fold_diacritics

CYRILLIC = re.compile(r"[\u0400-\u04ff]")
_CLAUSE_BREAK = re.compile(r"[,;:–—]")

PERSON_ENDINGS: dict[tuple[str, str], frozenset[str]] = {
    ("mina", "sg n"): frozenset(("n", "sin", "ksin", "nuksin")),
    ("sina", "sg n"): frozenset(("d", "sid", "ksid", "nuksid")),
    ("mina", "pl n"): frozenset(("me", "sime", "ksime", "nuksime")),
    ("sina", "pl n"): frozenset(("te", "site", "ksite", "nuksite")),
}
"""A nominative personal pronoun, and the verb endings that already say its person."""

_MODIFIERS = frozenset("ACUNOG")
_NOMINALS = frozenset("SHACUNOGPY")
_GLUE_NEXT = frozenset(
    ("ei", "ära", "ärge", "ärgem", "ärgu", "väga", "liiga", "nii", "kõige", "üsna", "päris", "eriti", "ka",
     "ainult", "isegi", "just", "mitte")
)  # fmt: skip
_UNITS = {"null": 0, "üks": 1, "kaks": 2, "kolm": 3, "neli": 4, "viis": 5, "kuus": 6, "seitse": 7,
          "kaheksa": 8, "üheksa": 9, "kümme": 10}  # fmt: skip
_SCALES = {"tuhat": 1000, "miljon": 1_000_000}


def has_cyrillic(text: str) -> bool:
    return bool(CYRILLIC.search(text))


def _numeral_value(lemma: str) -> int | None:
    """kaks -> 2, kakskümmend -> 20, kaksteist -> 12, kolmsada -> 300; None for what is no cardinal."""
    if lemma in _UNITS:
        return _UNITS[lemma]
    for suffix, combine in (("kümmend", lambda u: u * 10), ("teist", lambda u: u + 10),
                            ("sada", lambda u: u * 100)):  # fmt: skip
        if lemma.endswith(suffix):
            unit = lemma.removesuffix(suffix)
            if unit == "" and suffix == "sada":
                return 100
            return combine(_UNITS[unit]) if unit in _UNITS and _UNITS[unit] < 10 else None
    return None


def _number_spans(words: Sequence[str], morphology: Morphology) -> list[tuple[int, int, int]]:
    """(start, end, value) for each run of cardinal numeral words: "kakskümmend viis" -> 25."""
    spans: list[tuple[int, int, int]] = []
    start, total, group = None, 0, 0
    for i, word in enumerate([*words, ""]):
        lemmas = (
            {a.lemma.casefold() for a in morphology.analyse_word(word) if a.pos == "N"} if word else set()
        )
        scale = next((_SCALES[lemma] for lemma in lemmas if lemma in _SCALES), None)
        value = next((v for lemma in lemmas if (v := _numeral_value(lemma)) is not None), None)
        if scale is None and value is None:
            if start is not None:
                spans.append((start, i, total + group))
            start, total, group = None, 0, 0
            continue
        start = i if start is None else start
        if scale is not None:
            total, group = total + max(group, 1) * scale, 0
        else:
            group += value or 0
    return spans


def digits_as_words(words: Sequence[str], model: Sequence[str], morphology: Morphology) -> list[str]:
    """`words` with each number written in digits replaced by the model's numeral of that value, so that
    "Mul on 2 venda" compares as "Mul on kaks venda"."""
    by_value = {value: list(model[start:end]) for start, end, value in _number_spans(model, morphology)}
    out: list[str] = []
    digits: list[str] = []
    for word in [*words, ""]:
        if word.isdigit() and (not digits or len(word) == 3):  # "100 000" is one number
            digits.append(word)
            continue
        if digits:
            out.extend(by_value.get(int("".join(digits)), digits))
            digits = []
        if word.isdigit():
            digits.append(word)
        elif word:
            out.append(word)
    return out


def subject_pronouns(words: Sequence[str], morphology: Morphology) -> set[int]:
    """Positions of the 1st and 2nd person subject pronouns whose person a verb's ending shows."""
    endings = {a.form for word in words for a in morphology.analyse_word(word) if a.pos == "V"}

    def shown_by_verb(word: str) -> bool:
        persons = (
            PERSON_ENDINGS.get((a.lemma, a.form)) for a in morphology.analyse_word(word) if a.pos == "P"
        )
        return any(shown and shown & endings for shown in persons)

    return {i for i, word in enumerate(words) if shown_by_verb(word)}


def clauses(text: str) -> tuple[list[int], bool]:
    """The clause number of each word of a model answer (clauses split at commas, colons, dashes), and
    whether it asks a question."""
    clause_of = [n for n, part in enumerate(_CLAUSE_BREAK.split(text)) for _ in clean(part).split()]
    return clause_of, text.rstrip().endswith("?")


def align(written: Sequence[str], model: Sequence[str], morphology: Morphology) -> tuple[list[int], bool]:
    """For equally long word lists: the model position of each written word (the closest pairing, ties kept
    in place), and whether every word found its own word (exactly or in another form)."""
    cost = [[_distance(w, m, morphology) + abs(i - j) / 1000 for j, m in enumerate(model)]
            for i, w in enumerate(written)]  # fmt: skip
    order = cheapest_assignment(cost)
    return order, max(cost[i][j] for i, j in enumerate(order)) < 2


def cheapest_assignment(cost: Sequence[Sequence[float]]) -> list[int]:
    """The column of each row in a pairing of least total cost, for a square matrix (Kuhn-Munkres with
    potentials, O(n³)). A sentence has a few dozen words at most, and scipy.optimize would add ≈ 25 MB
    to every API worker for this one call."""
    n, inf = len(cost), float("inf")
    u, v = [0.0] * (n + 1), [0.0] * (n + 1)  # row and column potentials; index 0 is a free sentinel
    row_of, way = [0] * (n + 1), [0] * (n + 1)  # the row paired with each column; the augmenting path
    for row in range(1, n + 1):
        row_of[0], col = row, 0
        least, used = [inf] * (n + 1), [False] * (n + 1)
        while row_of[col]:  # grow a tree of tight edges until it reaches a free column
            used[col] = True
            here, delta, nxt = row_of[col], inf, 0
            for j in range(1, n + 1):
                if not used[j]:
                    reduced = cost[here - 1][j - 1] - u[here] - v[j]
                    if reduced < least[j]:
                        least[j], way[j] = reduced, col
                    if least[j] < delta:
                        delta, nxt = least[j], j
            for j in range(n + 1):
                if used[j]:
                    u[row_of[j]] += delta
                    v[j] -= delta
                else:
                    least[j] -= delta
            col = nxt
        while col:  # flip the path: each column on it takes the row of the column before it
            prev = way[col]
            row_of[col] = row_of[prev]
            col = prev
    order = [0] * n
    for j in range(1, n + 1):
        order[row_of[j] - 1] = j - 1
    return order


@lru_cache(maxsize=1 << 14)
def _distance(written: str, model: str, morphology: Morphology) -> int:
    if written.casefold() == model.casefold():
        return 0
    lemmas = {a.lemma for a in morphology.analyse_word(written)}
    if lemmas & {a.lemma for a in morphology.analyse_word(model)}:
        return 1
    near = damerau_levenshtein(fold_diacritics(written.casefold()), fold_diacritics(model.casefold())) <= 1
    return 2 if near else 5


def order_allowed(
    order: Sequence[int],
    words: Sequence[str],
    clause_of: Sequence[int],
    question: bool,
    morphology: Morphology,
) -> bool:
    """Whether the written order (model positions in written order) only moves whole phrases of the model
    `words` within their clause, and keeps a question's first word first."""
    starts = dict(_phrases(tuple(words), tuple(clause_of), morphology))
    position, last_clause = 0, 0
    while position < len(order):
        start = order[position]
        end = starts.get(start)
        if end is None or list(order[position : position + end - start]) != list(range(start, end)):
            return False
        if clause_of[start] < last_clause or (question and position == 0 and start != 0):
            return False
        last_clause = clause_of[start]
        position += end - start
    return True


@lru_cache(maxsize=4096)
def _phrases(
    words: tuple[str, ...], clause_of: tuple[int, ...], morphology: Morphology
) -> tuple[tuple[int, int], ...]:
    """The phrases of the model answer as (start, end) word spans."""
    tokens = morphology.analyse(" ".join(words))
    if len(tokens) != len(words):
        return ((0, len(words)),)
    glued = [False] * len(words)  # glued[i]: word i and word i + 1 are one phrase
    for i in range(len(words) - 1):
        this, after = tokens[i], tokens[i + 1]
        if clause_of[i] != clause_of[i + 1]:
            continue
        unread = (this.is_word and not this.known) or (after.is_word and not after.known)
        glued[i] = (
            unread
            or words[i].casefold() in _GLUE_NEXT
            or (this.pos in _MODIFIERS | {"P"} and after.pos in _NOMINALS - {"P"})
            or (this.pos in ("S", "H") and this.form in ("sg g", "pl g") and after.pos in ("S", "H", "K"))
            or (after.pos == "K" and this.pos in _NOMINALS)
            or (this.pos == "S" and this.form == "sg p" and after.pos == "A")  # kaks aastat vana
            or "J" in (this.pos, after.pos)
        )
    phrases, start = [], 0
    for i in range(len(words)):
        if not glued[i]:
            phrases.append((start, i + 1))
            start = i + 1
    return tuple(phrases)
