"""Grading on real Estonian: every verdict several times, on the stems learners trip over."""

from __future__ import annotations

import pytest

from learning_api.language import GradeResult, Verdict, get_morphology, grade
from learning_api.language.spelling import damerau_levenshtein, fold_diacritics

E, A, D, T, F, W = (
    Verdict.EXACT,
    Verdict.ACCEPTED,
    Verdict.DIACRITICS,
    Verdict.TYPO,
    Verdict.WRONG_FORM,
    Verdict.WRONG,
)

CASES: list[tuple[str, list[str], Verdict]] = [
    # exact, after normalising case, spaces, punctuation and quote styles
    ("käsi", ["käsi"], E),
    ("Käe", ["käe"], E),
    ("  toa ", ["toa"], E),
    ("jõkke!", ["jõkke"], E),
    ("ma elan   tallinnas", ["Ma elan Tallinnas."], E),
    ("„Tere!“", ['"Tere!"'], E),
    ("tulge", ["tulge"], E),
    ("LÄKSIN", ["läksin"], E),
    ("südame.", ["südame"], E),
    ("«Mehe»", ["mehe"], E),
    # accepted: an alternative the author listed, or the other spelling of the very same form
    ("tervist", ["tere", "tervist"], A),
    ("Ma lähen toasse.", ["Ma lähen tuppa.", "Ma lähen toasse."], A),
    ("läheme", ["lähme"], A),  # minema, 1st person pl., both spellings
    ("lähme", ["läheme"], A),
    ("tubasid", ["tube"], A),  # tuba, pl. partitive
    ("käsisse", ["kätesse"], A),  # käsi, pl. illative
    ("häisse", ["headesse"], A),  # hea, pl. illative
    ("südametes", ["südameis"], A),  # süda, pl. inessive
    ("kooli", ["koole"], A),  # kooli can be pl. partitive too
    ("Me läheme kinno", ["Me lähme kinno."], A),
    # only diacritics differ (a foreign keyboard, or over-correcting)
    ("kae", ["käe"], D),
    ("joe", ["jõe"], D),
    ("jokke", ["jõkke"], D),
    ("haid", ["häid"], D),
    ("sokolaad", ["šokolaad"], D),
    ("zurnaal", ["žurnaal"], D),
    ("ulikool", ["ülikool"], D),
    ("tõa", ["toa"], D),
    ("motlen", ["mõtlen"], D),
    ("sudamega", ["südamega"], D),
    ("kõõk", ["köök"], D),
    ("Ma elan Parnus", ["Ma elan Pärnus."], D),
    # one typo on a word of four letters or more that is no form of the expected word
    ("tuiln", ["tulin"], T),  # swapped letters
    ("südamga", ["südamega"], T),
    ("käteha", ["kätega"], T),
    ("läksim", ["läksin"], T),
    ("uksse", ["ukse"], T),
    ("mehelle", ["mehele"], T),
    ("perrega", ["perega"], T),
    ("jõgedesee", ["jõgedesse"], T),
    ("jogedese", ["jõgedesse"], T),  # a typo and a missing õ
    ("Ma elan Tallinnsa", ["Ma elan Tallinnas."], T),
    ("Ma elanTallinnas", ["Ma elan Tallinnas."], T),  # a lost space
    # right word, wrong form
    ("kätt", ["käe"], F),
    ("käed", ["käe"], F),
    ("tuba", ["toa"], F),
    ("toasse", ["tuppa"], F),
    ("jõesse", ["jõkke"], F),
    ("jõge", ["jõe"], F),  # one letter away, but a real form: not a typo
    ("tuleb", ["tulin"], F),
    ("tulid", ["tulin"], F),  # one letter away, but a real form
    ("tule", ["tulge"], F),
    ("lähen", ["läksin"], F),
    ("minna", ["lähen"], F),
    ("mine", ["minge"], F),
    ("süda", ["südame"], F),
    ("südant", ["südame"], F),
    ("uks", ["ukse"], F),
    ("mees", ["mehe"], F),
    ("mehed", ["mehi"], F),
    ("pere", ["peret"], F),
    ("head", ["häid"], F),
    ("hea", ["head"], F),
    ("kassidki", ["kassid"], F),  # the clitic changes the meaning
    ("koole", ["kooli"], F),  # kooli may be the short illative, koole cannot
    ("Ma elan Tallinna.", ["Ma elan Tallinnas."], F),
    ("Ma lähen koolis", ["Ma lähen kooli."], F),
    ("Ta läks jõesse.", ["Ta läks jõkke."], F),
    ("Eile ma lähen kinno.", ["Eile ma läksin kinno."], F),
    # wrong
    ("koer", ["kass"], W),
    ("maja", ["käsi"], W),
    ("", ["käsi"], W),
    ("?!", ["jõgi"], W),
    ("toe", ["toa"], W),  # tugi's genitive; three letters are too short for a typo
    ("käs", ["käe"], W),
    ("lähen", ["tulen"], W),
    ("Ma elan Tartus", ["Ma elan Tallinnas."], W),
    ("Ma elan", ["Ma elan Tallinnas."], W),
]


@pytest.mark.parametrize(("answer", "expected", "verdict"), CASES, ids=[f"{c[2]}:{c[0]}" for c in CASES])
def test_verdict_on_real_answers(answer: str, expected: list[str], verdict: Verdict) -> None:
    assert grade(answer, expected, "en").verdict is verdict


def test_table_covers_every_verdict_several_times() -> None:
    assert len(CASES) >= 60
    for verdict in Verdict:
        assert sum(1 for case in CASES if case[2] is verdict) >= 5, verdict


@pytest.mark.parametrize(
    ("answer", "expected", "grade_value"),
    [("käe", "käe", 3), ("tervist", "tere", 1), ("kae", "käe", 2), ("tuiln", "tulin", 2), ("kätt", "käe", 1)],
)
def test_grade_follows_verdict(answer: str, expected: str, grade_value: int) -> None:
    assert grade(answer, [expected]).grade == grade_value


def test_fast_right_answer_is_easy_but_a_fast_typo_is_still_hard() -> None:
    assert grade("käe", ["käe"], latency_ms=1500, fast_ms=2000).grade == 4
    assert grade("käe", ["käe"], latency_ms=2500, fast_ms=2000).grade == 3
    assert grade("tuiln", ["tulin"], latency_ms=500, fast_ms=2000).grade == 2
    assert grade("tervist", ["tere", "tervist"], latency_ms=500, fast_ms=2000).grade == 4


def test_correct_means_recalled_even_if_misspelt() -> None:
    assert grade("kae", ["käe"]).correct
    assert not grade("kätt", ["käe"]).correct


def test_wrong_form_names_both_forms_in_each_language() -> None:
    feedback = {lang: grade("kätt", ["käe"], lang).feedback for lang in ("en", "ru", "uk", "et")}
    assert "sg. partitive" in feedback["en"] and "sg. genitive" in feedback["en"]
    assert "частичный падеж (партитив), ед. ч." in feedback["ru"]
    assert "родительный падеж, ед. ч." in feedback["ru"]
    assert "частковий відмінок (партитив), одн." in feedback["uk"]
    assert "родовий відмінок, одн." in feedback["uk"]
    assert "ainsuse osastav" in feedback["et"] and "ainsuse omastav" in feedback["et"]
    assert all("kätt" in text and "käe" in text for text in feedback.values())


def test_sentence_answer_points_at_the_word_and_its_forms() -> None:
    result = grade("Ma elan Tallinna.", ["Ma elan Tallinnas."], "en")
    (issue,) = result.issues
    assert (issue.position, issue.written, issue.expected) == (2, "Tallinna", "Tallinnas")
    assert issue.lemma == "Tallinn"
    assert issue.expected_forms == ("sg in",)
    assert set(issue.written_forms) == {"sg g", "sg p", "adt"}
    assert "sg. inessive" in result.feedback and "“Tallinna”" in result.feedback


def test_verb_forms_are_named() -> None:
    result = grade("tulid", ["tulin"], "ru")
    assert result.issues[0].written_forms == ("sid",)
    assert "прошедшее время, 1-е лицо ед. ч." in result.feedback


def test_diacritics_report_the_letter_to_mind() -> None:
    result = grade("joe", ["jõe"], "uk")
    assert result.issues[0].letters == (("o", "õ"),)
    assert "õ" in result.feedback and "«jõe»" in result.feedback
    several = grade("ohtusook", ["õhtusöök"], "en")
    assert several.issues[0].letters == (("o", "õ"), ("o", "ö"))
    assert several.feedback == "Almost — mind the letters õ, ö: “õhtusöök”."


def test_accepted_alternative_shows_the_main_answer() -> None:
    result = grade("tervist", ["tere", "tervist"], "et")
    assert result.expected == "tervist"
    assert "„tere“" in result.feedback


def test_wrong_answer_gives_the_main_answer() -> None:
    result = grade("koer", ["kass", "kiisu"], "ru")
    assert result.expected == "kass"
    assert result.feedback == "Не совсем. Правильный ответ: «kass»."


def test_target_form_settles_an_ambiguous_expected_word() -> None:
    assert grade("koole", ["kooli"], target_form="pl p").verdict is Verdict.ACCEPTED
    wanted_illative = grade("koole", ["kooli"], "en", target_form="adt")
    assert wanted_illative.verdict is Verdict.WRONG_FORM
    assert wanted_illative.issues[0].expected_forms == ("adt",)


def test_target_lemma_keeps_a_homograph_out() -> None:
    """"seal" (there) is also the adessive of "siga" (pig), whose genitive is "sea"."""
    assert grade("sea", ["seal"]).verdict is Verdict.WRONG_FORM
    assert grade("sea", ["seal"], target_lemma="seal").verdict is Verdict.TYPO
    assert grade("kalli", ["kallis"], target_lemma="kallis").issues[0].lemma == "kallis"


def test_the_closest_expected_answer_is_used_and_ties_go_to_the_first() -> None:
    closer = grade("kae", ["käsi", "käe"])
    assert (closer.verdict, closer.expected) == (Verdict.DIACRITICS, "käe")
    tie = grade("kätt", ["käsi", "käe"])
    assert (tie.verdict, tie.expected) == (Verdict.WRONG_FORM, "käsi")


def test_injected_morphology_is_used() -> None:
    result = grade("jõge", ["jõe"], morphology=get_morphology())
    assert isinstance(result, GradeResult) and result.issues[0].lemma == "jõgi"


def test_no_expected_answer_is_an_error() -> None:
    with pytest.raises(ValueError, match="expected"):
        grade("käsi", [])


@pytest.mark.parametrize(
    ("a", "b", "distance"),
    [("tulin", "tulin", 0), ("tulin", "tuiln", 1), ("käega", "käeha", 1), ("kass", "kas", 1),
     ("kass", "kasss", 1), ("kitten", "sitting", 3), ("", "ab", 2), ("ab", "ba", 1)],
)
def test_damerau_levenshtein(a: str, b: str, distance: int) -> None:
    assert damerau_levenshtein(a, b) == distance


def test_folding_covers_estonian_letters_and_foreign_accents() -> None:
    assert fold_diacritics("õäöüšž ÕÄÖÜŠŽ") == "oaousz OAOUSZ"
    assert fold_diacritics("tôô") == "too"
