"""Grading on real Estonian: every verdict several times, on the stems learners trip over."""

from __future__ import annotations

from dataclasses import dataclass, replace

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


@dataclass(frozen=True)
class Case:
    """One learner's answer and the verdict it must get. `sentence` grades it as a translate or order item
    does (word order, a left-out pronoun, digits)."""

    answer: str
    expected: tuple[str, ...]
    verdict: Verdict
    sentence: bool = False

    @property
    def id(self) -> str:
        return f"{self.verdict}{'/s' if self.sentence else ''}:{self.answer}->{self.expected[0]}"


def cases(verdict: Verdict, rows: list[tuple[str, str | list[str]]], *, sentence: bool = False) -> list[Case]:
    return [
        Case(answer, tuple([expected] if isinstance(expected, str) else expected), verdict, sentence)
        for answer, expected in rows
    ]


CASES: list[Case] = [
    # exact, after normalising case, spaces, punctuation and quote styles
    *cases(
        E,
        [
            ("käsi", "käsi"),
            ("Käe", "käe"),
            ("  toa ", "toa"),
            ("jõkke!", "jõkke"),
            ("ma elan   tallinnas", "Ma elan Tallinnas."),
            ("„Tere!“", '"Tere!"'),
            ("tulge", "tulge"),
            ("LÄKSIN", "läksin"),
            ("südame.", "südame"),
            ("«Mehe»", "mehe"),
            ("majja", "majja"),
            ("Mul on kaks venda", "Mul on kaks venda."),
        ],
    ),
    # accepted: an alternative the author listed, or the other spelling of the very same form
    *cases(
        A,
        [
            ("tervist", ["tere", "tervist"]),
            ("Ma lähen toasse.", ["Ma lähen tuppa.", "Ma lähen toasse."]),
            ("läheme", "lähme"),
            ("lähme", "läheme"),
            ("tubasid", "tube"),
            ("käsisse", "kätesse"),
            ("häisse", "headesse"),
            ("südametes", "südameis"),
            ("kooli", "koole"),
            ("Me läheme kinno", "Me lähme kinno."),
            ("Tere hommikust!", ["Tere!", "Tere hommikust!"]),
        ],
    ),
    # the long and the short illative are one form, either way round
    *cases(
        A,
        [
            ("majasse", "majja"),
            ("majja", "majasse"),
            ("jõesse", "jõkke"),
            ("jõkke", "jõesse"),
            ("toasse", "tuppa"),
            ("tuppa", "toasse"),
            ("Ma lähen poesse.", "Ma lähen poodi."),
            ("poodi", "poesse"),
            ("kodusse", "koju"),
            ("Ma sõidan Tallinnasse.", "Ma sõidan Tallinna."),
            ("kooli", "koolisse"),
            ("lasteaeda", "lasteaiasse"),
            ("Ta läks jõesse.", "Ta läks jõkke."),
            ("Lähme majasse!", "Lähme majja!"),
            ("Ma lähen koolisse.", "Ma lähen kooli."),
            ("Me kolisime uude majja.", "Me kolisime uude majasse."),
        ],
    ),
    # only diacritics differ (a foreign keyboard, or over-correcting)
    *cases(
        D,
        [
            ("kae", "käe"),
            ("joe", "jõe"),
            ("jokke", "jõkke"),
            ("haid", "häid"),
            ("sokolaad", "šokolaad"),
            ("zurnaal", "žurnaal"),
            ("ulikool", "ülikool"),
            ("tõa", "toa"),
            ("motlen", "mõtlen"),
            ("sudamega", "südamega"),
            ("kõõk", "köök"),
            ("Ma elan Parnus", "Ma elan Pärnus."),
            ("oun", "õun"),
            ("Tere hommikust, opetaja!", "Tere hommikust, õpetaja!"),
        ],
    ),
    # one typo on a word of four letters or more that is no word at all
    *cases(
        T,
        [
            ("tuiln", "tulin"),
            ("südamga", "südamega"),
            ("käteha", "kätega"),
            ("läksim", "läksin"),
            ("uksse", "ukse"),
            ("mehelle", "mehele"),
            ("perrega", "perega"),
            ("jõgedesee", "jõgedesse"),
            ("jogedese", "jõgedesse"),
            ("Ma elan Tallinnsa", "Ma elan Tallinnas."),
            ("Ma elanTallinnas", "Ma elan Tallinnas."),
            ("raamatutt", "raamatut"),
            ("õpetja", "õpetaja"),
            ("Mul on kaks vedna.", "Mul on kaks venda."),
        ],
    ),
    # right word, wrong form
    *cases(
        F,
        [
            ("sina", ["su", "sinu"]),  # the pronoun in the nominative (the noun "sina" has a genitive "sina")
            ("kätt", "käe"),
            ("käed", "käe"),
            ("tuba", "toa"),
            ("toas", "tuppa"),
            ("jõest", "jõkke"),
            ("jõge", "jõe"),
            ("tuleb", "tulin"),
            ("tulid", "tulin"),
            ("tule", "tulge"),
            ("lähen", "läksin"),
            ("minna", "lähen"),
            ("mine", "minge"),
            ("süda", "südame"),
            ("südant", "südame"),
            ("uks", "ukse"),
            ("mees", "mehe"),
            ("mehed", "mehi"),
            ("pere", "peret"),
            ("head", "häid"),
            ("hea", "head"),
            ("kassidki", "kassid"),
            ("koole", "kooli"),
            ("majas", "majja"),
            ("majadesse", "majasse"),
            ("Ma elan Tallinna.", "Ma elan Tallinnas."),
            ("Ma lähen koolis", "Ma lähen kooli."),
            ("Eile ma lähen kinno.", "Eile ma läksin kinno."),
            ("Ta läks jõesse.", "Ta läks jõgedesse."),
        ],
    ),
    # wrong, and another real word is a wrong word, not a typo
    *cases(
        W,
        [
            ("koer", "kass"),
            ("maja", "käsi"),
            ("", "käsi"),
            ("?!", "jõgi"),
            ("toe", "toa"),
            ("käs", "käe"),
            ("lähen", "tulen"),
            ("Ma elan Tartus", "Ma elan Tallinnas."),
            ("Ma elan", "Ma elan Tallinnas."),
            ("kast", "kass"),
            ("kass", "kast"),
            ("vaja", "maja"),
            ("linn", "lind"),
            ("kana", "kala"),
            ("tool", "tuul"),
            ("Mul on kaks vanda.", "Mul on kaks venda."),
            ("sool", "tool"),
            ("Minu ema on kala.", "Minu ema on kana."),
        ],
    ),
    # a Cyrillic answer: the keyboard is not switched
    *cases(
        W, [("лфыы", "kass"), ("Ма елан Таллиннас", "Ma elan Tallinnas."), ("тере", "tere"), ("кass", "kass")]
    ),
    *cases(W, [("Елан Таллиннас.", "Ma elan Tallinnas.")], sentence=True),
]
_SENTENCE_ROWS: list[Case] = [
    # another word order Estonian allows: whole phrases move, the answer is right with a note
    *cases(
        A,
        [
            ("Tallinnas elan ma.", "Ma elan Tallinnas."),
            ("Ma Tallinnas elan.", "Ma elan Tallinnas."),
            ("Ülikoolis õpib minu õde.", "Minu õde õpib ülikoolis."),
            ("Kinno läksime eile.", "Eile läksime kinno."),
            ("Me läksime eile kinno.", "Eile läksime me kinno."),
            ("Hommikul joon ma kohvi.", "Ma joon hommikul kohvi."),
            ("Kohvi joon ma hommikul.", "Ma joon hommikul kohvi."),
            ("Kes Tartu linnapea on?", "Kes on Tartu linnapea?"),
            ("Neljaks aastaks valivad elanikud volikogu.", "Elanikud valivad volikogu neljaks aastaks."),
            ("Sotsiaaltöötajana töötab tema isa vallas.", "Tema isa töötab vallas sotsiaaltöötajana."),
            ("Homme lähen ma arsti juurde.", "Ma lähen homme arsti juurde."),
            ("Täna on väga ilus ilm.", "Ilm on täna väga ilus."),
            ("Tartus elab minu vend.", "Minu vend elab Tartus."),
            ("Ma ei ela Tallinnas.", "Tallinnas ma ei ela."),
            ("Eesti keelt õpin ma.", "Ma õpin eesti keelt."),
        ],
    ),
    # a left-out (or added) subject pronoun where the verb shows the person
    *cases(
        A,
        [
            ("Elan Tallinnas.", "Ma elan Tallinnas."),
            ("Õpin eesti keelt.", "Ma õpin eesti keelt."),
            ("Läksime eile kinno.", "Me läksime eile kinno."),
            ("Kas räägid eesti keelt?", "Kas sa räägid eesti keelt?"),
            ("Kus te elate?", "Kus elate?"),
            ("Ma elan Tallinnas.", "Elan Tallinnas."),
            ("Mina elan Tallinnas.", "Ma elan Tallinnas."),
            ("Tallinnas elan.", "Ma elan Tallinnas."),
            ("Eile käisin poes.", "Eile ma käisin poes."),
            ("Töötan arstina.", "Ma töötan arstina."),
            ("Olen kakskümmend aastat vana.", "Ma olen kakskümmend aastat vana."),
            ("Sooviksin aega eriarsti juurde.", "Ma sooviksin aega eriarsti juurde."),
        ],
    ),
    # numbers in digits
    *cases(
        A,
        [
            ("Mul on 2 venda.", "Mul on kaks venda."),
            ("Ma olen 25 aastat vana.", "Ma olen kakskümmend viis aastat vana."),
            ("Kott maksab 50 senti.", "Kott maksab viiskümmend senti."),
            ("Mul on 3 last.", "Mul on kolm last."),
            ("Ma elan koos 2 vennaga.", "Ma elan koos kahe vennaga."),
            ("Tartus on umbes 100 000 elanikku.", "Tartus on umbes sada tuhat elanikku."),
            ("Kell on 7.", "Kell on seitse."),
            ("Mul on 12 eurot.", "Mul on kaksteist eurot."),
            ("Elan Tallinnas 2 aastat.", "Ma elan Tallinnas kaks aastat."),
            ("Buss tuleb 10 minuti pärast.", "Buss tuleb kümne minuti pärast."),
        ],
    ),
    # still wrong: an order Estonian does not allow, the pronoun where the verb does not show the person,
    # another number
    *cases(
        W,
        [
            ("Õde minu õpib ülikoolis.", "Minu õde õpib ülikoolis."),
            ("Ma ela ei Tallinnas.", "Ma ei ela Tallinnas."),
            ("Juurde arsti lähen ma.", "Ma lähen arsti juurde."),
            ("Venda kaks on mul.", "Mul on kaks venda."),
            ("Tartu linnapea kes on?", "Kes on Tartu linnapea?"),
            ("Ei tea.", "Ma ei tea."),
            ("Elab Tallinnas.", "Ta elab Tallinnas."),
            ("Mul on 3 venda.", "Mul on kaks venda."),
            ("Ilm on väga täna ilus.", "Ilm on täna väga ilus."),
            ("Tallinnas elan ma ei.", "Ma ei ela Tallinnas."),
        ],
    ),
    # reordered and otherwise flawed: the word's verdict stands
    *cases(F, [("Tallinna elan ma.", "Ma elan Tallinnas."), ("Kinno lähme eile.", "Eile läksime kinno.")]),
    *cases(T, [("Tallinnsa elan ma.", "Ma elan Tallinnas."), ("Tallinnsa elan.", "Ma elan Tallinnas.")]),
]
SENTENCES = [replace(case, sentence=True) for case in _SENTENCE_ROWS]


@pytest.mark.parametrize("case", CASES + SENTENCES, ids=lambda case: case.id)
def test_verdict_on_real_answers(case: Case) -> None:
    assert grade(case.answer, case.expected, "en", sentence=case.sentence).verdict is case.verdict


def test_table_covers_every_verdict_several_times() -> None:
    table = CASES + SENTENCES
    assert len(table) >= 150
    for verdict in Verdict:
        assert sum(1 for case in table if case.verdict is verdict) >= 5, verdict


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
    assert set(issue.written_forms) == {"sg g", "sg p", "sg ill"}  # the short illative is the illative
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
    assert wanted_illative.issues[0].expected_forms == ("sg ill",)
    assert grade("koolisse", ["kooli"], target_form="adt").verdict is Verdict.ACCEPTED
    assert grade("kooli", ["koolisse"], target_form="sg ill").verdict is Verdict.ACCEPTED


def test_target_lemma_keeps_a_homograph_out() -> None:
    """ "seal" (there) is also the adessive of "siga" (pig), whose genitive is "sea"."""
    assert grade("sea", ["seal"]).verdict is Verdict.WRONG_FORM
    kept_out = grade("sea", ["seal"], target_lemma="seal")  # a real word of its own: wrong, not a typo
    assert (kept_out.verdict, kept_out.issues[0].lemma) == (Verdict.WRONG, "")
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
    [
        ("tulin", "tulin", 0),
        ("tulin", "tuiln", 1),
        ("käega", "käeha", 1),
        ("kass", "kas", 1),
        ("kass", "kasss", 1),
        ("kitten", "sitting", 3),
        ("", "ab", 2),
        ("ab", "ba", 1),
    ],
)
def test_damerau_levenshtein(a: str, b: str, distance: int) -> None:
    assert damerau_levenshtein(a, b) == distance


def test_folding_covers_estonian_letters_and_foreign_accents() -> None:
    assert fold_diacritics("õäöüšž ÕÄÖÜŠŽ") == "oaousz OAOUSZ"
    assert fold_diacritics("tôô") == "too"


def test_cyrillic_answer_is_told_to_switch_the_keyboard_in_the_learners_language() -> None:
    feedback = {lang: grade("лфыы", ["kass"], lang).feedback for lang in ("en", "et", "ru", "uk")}
    assert feedback["en"] == "Your answer is in Cyrillic letters: switch your keyboard to Estonian."
    assert "klaviatuur" in feedback["et"]
    assert "раскладк" in feedback["ru"] and "розкладк" in feedback["uk"]
    assert grade("лфыы", ["kass"]).grade == 1


def test_another_order_is_right_with_a_note_on_the_natural_one() -> None:
    result = grade("Tallinnas elan ma.", ["Ma elan Tallinnas."], "en", sentence=True)
    assert (result.verdict, result.expected) == (Verdict.ACCEPTED, "Ma elan Tallinnas.")
    assert result.feedback == "Correct! The most natural order: “Ma elan Tallinnas.”."
    assert grade("Tallinnas elan ma.", ["Ma elan Tallinnas."], "en").verdict is Verdict.WRONG  # a dictation
    wrong = grade("Õde minu õpib ülikoolis.", ["Minu õde õpib ülikoolis."], "uk", sentence=True)
    assert wrong.verdict is Verdict.WRONG and "«Minu õde õpib ülikoolis.»" in wrong.feedback
    flawed = grade("Tallinna elan ma.", ["Ma elan Tallinnas."], "en", sentence=True)
    assert flawed.issues[0].written == "Tallinna" and "The most natural order" in flawed.feedback
