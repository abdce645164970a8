"""Vabamorf through the language core, on real words: analysis, full noun paradigms, verb forms, lexicon."""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor

import pytest

from learning_api.language import (
    NOUN_FORMS,
    Morphology,
    forms_of,
    get_morphology,
    is_form_of,
    tokenise,
    unknown_words,
)


@pytest.fixture(scope="module")
def morph() -> Morphology:
    return get_morphology()


# One expected spelling per form, in NOUN_FORMS order (the 14 cases singular, then plural); Vabamorf may
# give a parallel one as well (käsi, pl. illative: kätesse and käsisse).
PARADIGMS: dict[str, str] = {
    "käsi": "käsi käe kätt käesse käes käest käele käel käelt käeks käeni käena käeta käega "
    "käed käte käsi kätesse kätes kätest kätele kätel kätelt käteks käteni kätena käteta kätega",
    "tuba": "tuba toa tuba toasse toas toast toale toal toalt toaks toani toana toata toaga "
    "toad tubade tube tubadesse tubades tubadest tubadele tubadel tubadelt tubadeks tubadeni tubadena "
    "tubadeta tubadega",
    "jõgi": "jõgi jõe jõge jõesse jões jõest jõele jõel jõelt jõeks jõeni jõena jõeta jõega "
    "jõed jõgede jõgesid jõgedesse jõgedes jõgedest jõgedele jõgedel jõgedelt jõgedeks jõgedeni jõgedena "
    "jõgedeta jõgedega",
    "mees": "mees mehe meest mehesse mehes mehest mehele mehel mehelt meheks meheni mehena meheta mehega "
    "mehed meeste mehi meestesse meestes meestest meestele meestel meestelt meesteks meesteni meestena "
    "meesteta meestega",
    "süda": "süda südame südant südamesse südames südamest südamele südamel südamelt südameks südameni "
    "südamena südameta südamega südamed südamete südameid südametesse südametes südametest südametele "
    "südametel südametelt südameteks südameteni südametena südameteta südametega",
}


def test_noun_forms_are_the_28_cases() -> None:
    assert len(NOUN_FORMS) == 28 and len(set(NOUN_FORMS)) == 28


@pytest.mark.parametrize("lemma", sorted(PARADIGMS))
def test_synthesise_all_28_noun_forms(morph: Morphology, lemma: str) -> None:
    paradigm = dict(zip(NOUN_FORMS, PARADIGMS[lemma].split(), strict=True))
    missing = {
        form: (word, morph.synthesise(lemma, form))
        for form, word in paradigm.items()
        if word not in morph.synthesise(lemma, form, "S")
    }
    assert not missing


def test_short_illative_where_the_stem_has_one(morph: Morphology) -> None:
    assert morph.synthesise("käsi", "adt") == ["kätte"]
    assert morph.synthesise("tuba", "adt") == ["tuppa"]
    assert morph.synthesise("jõgi", "adt") == ["jõkke"]
    assert morph.synthesise("süda", "adt") == []


def test_parallel_forms_come_back_together(morph: Morphology) -> None:
    assert morph.synthesise("tuba", "pl p") == ["tube", "tubasid"]
    assert set(morph.synthesise("minema", "me")) == {"lähme", "läheme"}


def test_part_of_speech_picks_the_homonym(morph: Morphology) -> None:
    assert morph.synthesise("hea", "pl p", "A") == ["häid"]


@pytest.mark.parametrize(
    ("lemma", "form", "word"),
    [
        case.split()
        for case in (
            "tulema da tulla",
            "tulema n tulen",
            "tulema b tuleb",
            "tulema sin tulin",
            "tulema ge tulge",
            "tulema nud tulnud",
            "tulema takse tullakse",
            "minema da minna",
            "minema n lähen",
            "minema sin läksin",
            "minema s läks",
            "minema o mine",
            "minema ge minge",
            "minema nud läinud",
            "minema ks läheks",
            "olema b on",
            "olema vad on",
            "lugema n loen",
            "lugema s luges",
            "lugema tud loetud",
            "lugema des lugedes",
            "tegema sime tegime",
            "tegema ma tegema",
            "tegema mas tegemas",
            "tegema mata tegemata",
            "tegema vat tegevat",
        )
    ],
)
def test_synthesise_verb_forms(morph: Morphology, lemma: str, form: str, word: str) -> None:
    assert word in morph.synthesise(lemma, form)


def test_vabamorf_refuses_some_negative_forms(morph: Morphology) -> None:
    """A regular verb's form after ei is coded "o" (like the imperative), never "neg"; only irregular ones
    (pole, lähe) have a "neg o" of their own."""
    assert morph.synthesise("tulema", "neg") == []
    assert morph.synthesise("tulema", "neg o") == []
    assert morph.synthesise("minema", "neg o") == ["lähe"]


def test_unknown_lemma_synthesises_nothing(morph: Morphology) -> None:
    assert morph.synthesise("xqzta", "sg g") == []


def test_analyse_sentence_in_context(morph: Morphology) -> None:
    tokens = morph.analyse("Eile läksin ma jõkke ujuma, aga vesi oli külm.")
    by_text = {t.text: t for t in tokens}
    assert [t.text for t in tokens][:6] == ["Eile", "läksin", "ma", "jõkke", "ujuma", ","]
    assert (by_text["läksin"].lemma, by_text["läksin"].pos, by_text["läksin"].form) == ("minema", "V", "sin")
    assert (by_text["jõkke"].lemma, by_text["jõkke"].form) == ("jõgi", "adt")
    assert (by_text["ujuma"].lemma, by_text["ujuma"].form) == ("ujuma", "ma")
    assert (by_text["vesi"].lemma, by_text["vesi"].pos) == ("vesi", "S")
    assert by_text["oli"].lemma == "olema"
    assert by_text[","].pos == "Z" and not by_text[","].is_word
    assert all(t.known for t in tokens if t.is_word)
    assert tokens[3].start == len("Eile läksin ma ")


def test_analyse_guesses_an_unknown_word_but_says_so(morph: Morphology) -> None:
    (token,) = [t for t in morph.analyse("Ma nägin glorbuseid.") if t.text == "glorbuseid"]
    assert not token.known
    assert token.form == "pl p"


def test_analyse_empty_text(morph: Morphology) -> None:
    assert morph.analyse("  ") == []


def test_is_known(morph: Morphology) -> None:
    assert morph.is_known("käe") and morph.is_known("läksin") and morph.is_known("jõkke")
    assert morph.is_known("Tallinnas")  # a name the lexicon lists
    assert not morph.is_known("tallinnas")  # but not in lower case
    assert not morph.is_known("xqzt")
    assert not morph.is_known("glorbuseid")


def test_forms_of_and_is_form_of() -> None:
    assert forms_of("käe") == [("käsi", "sg g")]
    assert ("minema", "sin") in forms_of("läksin")
    assert set(forms_of("tuppa")) == {("tuba", "adt")}
    assert forms_of("xqzt") == []
    assert is_form_of("läksin", "minema") and is_form_of("lähen", "minema")
    assert is_form_of("kätt", "käsi") and is_form_of("toa", "tuba") and is_form_of("jõkke", "jõgi")
    assert not is_form_of("läksin", "tulema")
    assert not is_form_of("toa", "tugi")


def test_tokeniser_keeps_hyphenated_words_whole_but_splits_dashes() -> None:
    text = "Saada e-mail Kesk-Eestisse — kohe, 2-3 korda."
    assert [t.text for t in tokenise(text)] == [
        "Saada",
        "e-mail",
        "Kesk-Eestisse",
        "—",
        "kohe",
        ",",
        "2",
        "-",
        "3",
        "korda",
        ".",
    ]


def test_unknown_words_skips_numbers_punctuation_and_listed_names() -> None:
    text = "„Tere!“ ütles Mari 5. mail 2024 Tallinnas. Saada e-mail glorbusele ja xqzt-le, jne."
    assert unknown_words(text) == ["glorbusele", "xqzt-le"]


def test_unknown_words_reports_each_word_once_in_order() -> None:
    assert unknown_words("Blorp ja blorp, ja Blorp.") == ["Blorp", "blorp"]


def test_concurrent_use_gives_the_same_answers(morph: Morphology) -> None:
    words = ["käsi", "tuba", "jõgi", "süda", "uks", "mees", "pere", "hea"] * 8

    def work(lemma: str) -> list[tuple[str, str]]:
        """Sentence analysis is not cached, so every call goes through Vabamorf."""
        return [(t.lemma, t.form) for t in morph.analyse(f"Ma näen, et {lemma} on siin.")]

    with ThreadPoolExecutor(max_workers=8) as pool:
        results = list(pool.map(work, words))
    assert results == [work(lemma) for lemma in words]
