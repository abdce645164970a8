"""Estonian morphology on Vabamorf: analysis, synthesis and "is this a real word".

Vabamorf is a C++ singleton behind SWIG with no promise of thread safety, and the web layer runs these
calls in a thread pool, so every call into it holds one process-wide lock. Single-word results are cached:
learners and lesson texts repeat the same few thousand words, and a cache hit costs no lock at all.

Word lookups use Vabamorf without guessing and without its proper-name heuristic: a lesson text or a
learner's answer must be judged against the lexicon, not against what an unknown string might be. Names
that the lexicon itself lists (Tallinn, Tartu, Mari) still come back as proper nouns (H).
"""

from __future__ import annotations

import importlib.util
import sys
import threading
import types
from dataclasses import dataclass
from functools import lru_cache

from learning_api.language.tokens import is_word, tokenise


def _import_vabamorf() -> type:
    """``estnltk.vabamorf.morf`` without estnltk's package ``__init__``, which imports its whole NLP stack
    (nltk, taggers, converters: ≈ 150 MB per worker and seconds of start-up) although the morphology is
    a self-contained SWIG binding. The package is stood in for while the binding loads, then taken out
    of ``sys.modules`` again, so a later ``import estnltk`` still gets the real package (which finds its
    ``vabamorf`` already loaded)."""
    if "estnltk" in sys.modules:
        from estnltk.vabamorf.morf import Vabamorf as loaded

        return loaded
    spec = importlib.util.find_spec("estnltk")
    if spec is None or not spec.submodule_search_locations:
        raise ImportError("estnltk is not installed")
    stand_in = types.ModuleType("estnltk")
    stand_in.__path__ = list(spec.submodule_search_locations)
    sys.modules["estnltk"] = stand_in
    try:
        from estnltk.vabamorf.morf import Vabamorf as loaded
    finally:
        del sys.modules["estnltk"]
    return loaded


Vabamorf = _import_vabamorf()

_LOCK = threading.Lock()
_CACHE_SIZE = 1 << 16


@dataclass(frozen=True, slots=True)
class Analysis:
    """One reading of a word: `form` is a Vabamorf code ("sg g", "pl p", "sin"), empty for adverbs etc."""

    lemma: str
    pos: str
    form: str
    ending: str = ""
    clitic: str = ""


@dataclass(frozen=True, slots=True)
class AnalysedToken:
    """A token of a sentence with its reading in context; `known` says the lexicon has it without guessing."""

    text: str
    start: int
    lemma: str
    pos: str
    form: str
    is_word: bool
    known: bool


def _vabamorf() -> Vabamorf:
    return Vabamorf.instance()


def _to_analysis(raw: dict[str, str]) -> Analysis:
    return Analysis(
        lemma=raw["lemma"],
        pos=raw["partofspeech"],
        form=raw["form"],
        ending=raw["ending"],
        clitic=raw["clitic"],
    )


@lru_cache(maxsize=_CACHE_SIZE)
def _word_analyses(word: str) -> tuple[Analysis, ...]:
    with _LOCK:
        (result,) = _vabamorf().analyze([word], disambiguate=False, guess=False, propername=False)
    return tuple(dict.fromkeys(_to_analysis(raw) for raw in result["analysis"]))


@lru_cache(maxsize=_CACHE_SIZE)
def _synthesise(lemma: str, form: str, pos: str, hint: str) -> tuple[str, ...]:
    with _LOCK:
        words = _vabamorf().synthesize(lemma, form, partofspeech=pos, hint=hint, guess=False)
    return tuple(dict.fromkeys(words))


class Morphology:
    """The language core's handle on Vabamorf; make one in the app's lifespan and inject it.

    The lexicon loads when the first instance is made, so a worker pays that cost at start-up rather than
    on a learner's first answer. All instances share the one Vabamorf and its caches.
    """

    def __init__(self) -> None:
        with _LOCK:  # estnltk's instance() is no safe first call from two threads (two graders at once)
            _vabamorf()

    def analyse_word(self, word: str) -> tuple[Analysis, ...]:
        """Every reading of a word out of context; empty when the lexicon does not know it."""
        return _word_analyses(word)

    def analyse(self, text: str) -> list[AnalysedToken]:
        """Tokens of a text with one reading each, chosen by Vabamorf's disambiguator over the whole text.

        Here guessing is on, so an unknown word still gets a likely lemma and form; `known` tells the two
        apart.
        """
        tokens = [token for token in tokenise(text) if not token.is_space]
        if not tokens:
            return []
        with _LOCK:
            results = _vabamorf().analyze(
                [token.text for token in tokens], disambiguate=True, guess=True, propername=True
            )
        out = []
        for token, result in zip(tokens, results, strict=True):
            word = is_word(token)
            best = _to_analysis(result["analysis"][0]) if result["analysis"] else None
            out.append(
                AnalysedToken(
                    text=token.text,
                    start=token.idx,
                    lemma=best.lemma if best else token.text,
                    pos=best.pos if best else "",
                    form=best.form if best else "",
                    is_word=word,
                    known=word and self.is_known(token.text),
                )
            )
        return out

    def synthesise(self, lemma: str, form: str, pos: str = "", hint: str = "") -> list[str]:
        """All spellings of a form ("tuba", "pl p" -> ["tube", "tubasid"]); empty if Vabamorf has none.

        `pos` ("S", "A", "V", ...) picks between homonymous lemmas; without it Vabamorf takes any. `hint`, a
        form of the word ("kotti"), keeps only the paradigms that have it ("kott" -> "koti", not "kota").
        """
        return list(_synthesise(lemma, form, pos, hint))

    def is_known(self, word: str) -> bool:
        """Whether the lexicon has this one word (no guessing); a phrase is not a word, check its words
        with `unknown_words`."""
        return bool(_word_analyses(word))

    def forms_of(self, word: str) -> list[tuple[str, str]]:
        """(lemma, form) for every reading of a word: "käe" -> [("käsi", "sg g")]."""
        return list(dict.fromkeys((a.lemma, a.form) for a in _word_analyses(word)))

    def is_form_of(self, word: str, lemma: str) -> bool:
        """Whether a word is some form of a lemma ("läksin", "minema" -> True); case does not matter."""
        wanted = lemma.casefold()
        return any(a.lemma.casefold() == wanted for a in _word_analyses(word))

    def unknown_words(self, text: str) -> list[str]:
        """Words of a text the lexicon does not know, each once, in order of appearance.

        Numbers and punctuation are skipped. A capitalised word counts as known when the lexicon lists it as
        a proper name; an unknown name has to be added to the lesson's known exceptions.
        """
        words = (token.text for token in tokenise(text) if is_word(token))
        return [word for word in dict.fromkeys(words) if not self.is_known(word)]


@lru_cache(maxsize=1)
def get_morphology() -> Morphology:
    """The process-wide instance, for callers that are not handed one (scripts, validators)."""
    return Morphology()
