"""Vabamorf's form and part-of-speech codes, named for learners in their instruction language.

The English names here are the gettext message ids; the et/ru/uk names live in the catalogs under
`learning_api/i18n/locales`, so a translator can fix a grammatical term without touching code. The order of
the tables is the order forms are listed in feedback (cases in the textbook order, singular first).
"""

from __future__ import annotations

from collections.abc import Iterable

from learning_api.i18n import translator

NOUN_FORM_NAMES: dict[str, str] = {
    "sg n": "sg. nominative",
    "sg g": "sg. genitive",
    "sg p": "sg. partitive",
    "sg ill": "sg. illative",
    "adt": "sg. short illative",
    "sg in": "sg. inessive",
    "sg el": "sg. elative",
    "sg all": "sg. allative",
    "sg ad": "sg. adessive",
    "sg abl": "sg. ablative",
    "sg tr": "sg. translative",
    "sg ter": "sg. terminative",
    "sg es": "sg. essive",
    "sg ab": "sg. abessive",
    "sg kom": "sg. comitative",
    "pl n": "pl. nominative",
    "pl g": "pl. genitive",
    "pl p": "pl. partitive",
    "pl ill": "pl. illative",
    "pl in": "pl. inessive",
    "pl el": "pl. elative",
    "pl all": "pl. allative",
    "pl ad": "pl. adessive",
    "pl abl": "pl. ablative",
    "pl tr": "pl. translative",
    "pl ter": "pl. terminative",
    "pl es": "pl. essive",
    "pl ab": "pl. abessive",
    "pl kom": "pl. comitative",
}
VERB_FORM_NAMES: dict[str, str] = {
    "ma": "ma-infinitive (-ma)",
    "mas": "ma-infinitive, inessive (-mas)",
    "mast": "ma-infinitive, elative (-mast)",
    "maks": "ma-infinitive, translative (-maks)",
    "mata": "ma-infinitive, abessive (-mata)",
    "da": "da-infinitive (-da)",
    "des": "gerund (-des)",
    "n": "present, 1st person sg.",
    "d": "present, 2nd person sg.",
    "b": "present, 3rd person sg.",
    "me": "present, 1st person pl.",
    "te": "present, 2nd person pl.",
    "vad": "present, 3rd person pl.",
    "sin": "past, 1st person sg.",
    "s": "past, 3rd person sg.",
    "sid": "past, 2nd person sg. or 3rd person pl.",
    "sime": "past, 1st person pl.",
    "site": "past, 2nd person pl.",
    "ks": "conditional present",
    "ksin": "conditional present, 1st person sg.",
    "ksid": "conditional present, 2nd person sg. or 3rd person pl.",
    "ksime": "conditional present, 1st person pl.",
    "ksite": "conditional present, 2nd person pl.",
    "nuks": "conditional past",
    "o": "imperative, 2nd person sg., or the form after ei",
    "ge": "imperative, 2nd person pl.",
    "gem": "imperative, 1st person pl.",
    "gu": "imperative, 3rd person (-gu)",
    "neg": "negation verb (ei)",
    "neg o": "negative form (ei …, ära)",
    "neg ge": "negative imperative, 2nd person pl. (ärge)",
    "neg nud": "negative past (ei …-nud)",
    "nud": "active past participle (-nud)",
    "tud": "passive past participle (-tud)",
    "v": "present active participle (-v)",
    "tav": "present passive participle (-tav)",
    "takse": "impersonal present (-takse)",
    "ti": "impersonal past (-ti)",
    "ta": "impersonal, negative present (ei …-ta)",
    "tuks": "impersonal conditional (-tuks)",
    "vat": "quotative present (-vat)",
    "nuvat": "quotative past (-nuvat)",
}
POS_NAMES: dict[str, str] = {
    "S": "noun",
    "H": "proper noun",
    "A": "adjective",
    "C": "comparative adjective",
    "U": "superlative adjective",
    "G": "indeclinable adjective",
    "V": "verb",
    "D": "adverb",
    "P": "pronoun",
    "N": "cardinal numeral",
    "O": "ordinal numeral",
    "K": "adposition",
    "J": "conjunction",
    "I": "interjection",
    "X": "other word",
    "Y": "abbreviation",
    "Z": "punctuation mark",
}
FORM_NAMES: dict[str, str] = {**NOUN_FORM_NAMES, **VERB_FORM_NAMES}
TWIN_FORMS: dict[str, str] = {"adt": "sg ill", "sg ill": "adt"}
"""The short and the long illative (majja/majasse, jõkke/jõesse, tuppa/toasse) are one case: Vabamorf codes
them apart, a learner may write either."""
NOUN_FORMS: tuple[str, ...] = tuple(code for code in NOUN_FORM_NAMES if code != "adt")
"""The 28 regular noun forms (14 cases, singular and plural); the short illative is extra and not every
noun has one."""
_ORDER = {code: i for i, code in enumerate(FORM_NAMES)}


def same_form(code: str) -> str:
    """The code grading compares: the short illative counts as the illative ("adt+ki" -> "sg ill+ki")."""
    base, plus, clitic = code.partition("+")
    return ("sg ill" if base == "adt" else base) + plus + clitic


def form_name(code: str, lang: str | None) -> str:
    """A form's name in the learner's language. A clitic rides on the code as "pl n+ki" and is shown as
    "+ -ki"; an uncommon code Vabamorf may return is shown as is."""
    base, _, clitic = code.partition("+")
    name = FORM_NAMES.get(base)
    text = translator(lang)(name) if name else base
    return f"{text} + -{clitic}" if clitic else text


def pos_name(code: str, lang: str | None) -> str:
    name = POS_NAMES.get(code)
    return translator(lang)(name) if name else code


def sort_forms(codes: Iterable[str]) -> list[str]:
    """Unique codes in table order, so feedback always lists ambiguous forms the same way."""
    return sorted(set(codes), key=lambda code: (_ORDER.get(code.partition("+")[0], len(_ORDER)), code))


def describe_forms(codes: Iterable[str], lang: str | None) -> str:
    """'sg. genitive', or 'sg. genitive / sg. partitive / sg. short illative' for an ambiguous word (the
    names contain commas themselves, so a slash keeps the readings apart)."""
    return " / ".join(form_name(code, lang) for code in sort_forms(codes))
