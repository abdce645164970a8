"""The forms an inflect item accepts, checked against real Vabamorf: the lemma's own homonym, both
illatives (the one asked for first), and the common plural before the bookish i-plural."""

from __future__ import annotations

import pytest

from learning_api.language.synthesis import inflect


@pytest.mark.parametrize(
    ("lemma", "form", "hints", "forms"),
    [
        ("kool", "sg g", ["Ma", "lähen", "kooli"], ["kooli"]),
        ("kool", "pl in", ["Lapsed", "on", "koolis"], ["koolides"]),
        ("kott", "sg g", ["Kas", "te", "soovite", "kotti"], ["koti"]),
        ("kott", "sg p", ["Minu", "kaart", "on", "kotis"], ["kotti"]),
        ("tuba", "sg ill", [], ["toasse", "tuppa"]),
        ("tuba", "adt", [], ["tuppa", "toasse"]),
        ("maja", "adt", [], ["majja", "majasse"]),
        ("jõgi", "sg ill", [], ["jõesse", "jõkke"]),
        ("Tallinn", "adt", [], ["Tallinna", "Tallinnasse"]),
        ("sadam", "adt", [], ["sadamasse"]),  # no short illative: the long one is the answer
        ("käsi", "pl ill", [], ["kätesse", "käsisse"]),
        ("jalg", "pl in", [], ["jalgades", "jalges", "jalus"]),
        ("raamat", "pl el", [], ["raamatutest", "raamatuist"]),
        ("tuba", "pl p", [], ["tube", "tubasid"]),
    ],
)
def test_inflect(lemma: str, form: str, hints: list[str], forms: list[str]) -> None:
    pos = "H" if lemma[0].isupper() else "S"
    assert inflect(lemma, form, pos, hints) == forms


def test_without_a_hint_every_homonym_is_kept() -> None:
    assert set(inflect("kool", "sg g", "S")) == {"kooli", "koola"}
    assert inflect("kool", "sg g", "S", ["kool", "maja"]) == inflect(
        "kool", "sg g", "S"
    )  # no form of it helps


def test_a_part_of_speech_vabamorf_files_otherwise_is_dropped() -> None:
    assert inflect("tuba", "sg g", "V") == ["toa"]
    assert inflect("tuba", "sg xx", "S") == []
