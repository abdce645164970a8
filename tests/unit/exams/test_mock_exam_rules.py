"""The mock exam's rules without a database: the exam's pass rule, part scores, the assembly, and the
part result as ability evidence."""

from __future__ import annotations

import numpy as np
import pytest

from learning_api.catalog.documents import DEFAULT_SKILL
from learning_api.catalog.levels import DEFAULT_CUTS
from learning_api.exams.assembly import PART_SOURCES, assemble, group_of
from learning_api.exams.evidence import level_cut
from learning_api.study.bank import BankItem
from models import ability as irt
from models.exam import EXAM_PARTS, TIME_LIMIT_MINUTES, part_points, passed
from models.readiness import part_log_likelihood


def test_pass_rule_needs_sixty_points_and_no_part_at_zero() -> None:
    assert passed({"listening": 15, "reading": 15, "writing": 15, "speaking": 15})
    assert not passed({"listening": 15, "reading": 15, "writing": 15, "speaking": 14})  # 59
    assert not passed({"listening": 25, "reading": 25, "writing": 25, "speaking": 0})  # 75, a part at 0
    assert not passed({"listening": 25, "reading": 25, "writing": 25})  # a part not taken


def test_part_points_are_the_share_right_on_the_25_point_scale() -> None:
    assert part_points(6, 10) == 15
    assert part_points(10, 10) == 25
    assert part_points(0, 7) == 0
    assert part_points(1, 8) == 3  # 3.125
    assert part_points(1, 2) == 13  # 12.5 rounds half up
    with pytest.raises(ValueError):
        part_points(0, 0)


def test_time_limits_cover_every_part_at_both_levels() -> None:
    for level in ("A2", "B1"):
        assert set(TIME_LIMIT_MINUTES[level]) == set(EXAM_PARTS)
        assert all(5 <= m <= 90 for m in TIME_LIMIT_MINUTES[level].values())


def _item(item_id: str, kind: str, level: str = "A2") -> BankItem:
    return BankItem(item_id, "l", 1, kind, level, DEFAULT_SKILL[kind], "home", [], [], 1.0, 0.0)


def _bank(level: str = "A2") -> list[BankItem]:
    items = [_item(f"{level.lower()}-r{t}-q{q}", "reading", level) for t in range(4) for q in range(1, 5)]
    items += [_item(f"{level.lower()}-d{t}-q{q}", "dialogue", level) for t in range(2) for q in range(1, 4)]
    items += [_item(f"{level.lower()}-l{k}", "listen", level) for k in range(6)]
    items += [_item(f"{level.lower()}-w{k}", "writing", level) for k in range(3)]
    items += [_item(f"{level.lower()}-s{k}", "speaking", level) for k in range(3)]
    other_skill = BankItem("a2-l8", "l", 1, "listen", level, "vocabulary", "home", [], [], 1.0, 0.0)
    return [*items, _item("a1-l9", "listen", "A1"), _item("x-flash", "flashcard"), other_skill]


def test_assembly_fills_each_part_with_whole_groups_of_its_level_and_types() -> None:
    plan, shortfalls = assemble(_bank() + _bank("B1"), "A2", set(), seed=7)
    assert shortfalls == []
    assert list(plan) == list(EXAM_PARTS)
    for part, groups in plan.items():
        items = [i for g in groups for i in g]
        assert all(i.startswith("a2-") for i in items), part
        assert "a2-l8" not in items  # a listen item the author set to train vocabulary
        assert len(items) >= PART_SOURCES[part].target
        assert len(items) < PART_SOURCES[part].target + 4  # whole groups: at most one text's worth over
    reading = plan["reading"]
    assert all(len(g) == 4 and len({i.rsplit("-", 1)[0] for i in g}) == 1 for g in reading)  # whole texts
    assert {len(g) for g in plan["listening"]} <= {1, 3}  # listen items alone, dialogues whole


def test_assembly_is_repeatable_by_seed_and_varies_between_seeds() -> None:
    first, _ = assemble(_bank(), "A2", set(), seed=1)
    assert assemble(_bank(), "A2", set(), seed=1)[0] == first
    assert any(assemble(_bank(), "A2", set(), seed=s)[0] != first for s in range(2, 8))


def test_assembly_takes_recently_seen_items_last() -> None:
    recent = {f"a2-r{t}-q1" for t in range(2)} | {"a2-w0", "a2-w1"}
    for seed in range(10):
        plan, _ = assemble(_bank(), "A2", recent, seed)
        texts = {group_of(_item(g[0], "reading")) for g in plan["reading"]}
        assert texts & {"a2-r2", "a2-r3"} == {"a2-r2", "a2-r3"}  # both unseen texts are in
        assert "a2-w2" in [i for g in plan["writing"] for i in g]


def test_a_part_the_bank_cannot_fill_is_named_with_what_it_has_and_needs() -> None:
    bank = [i for i in _bank() if i.type not in ("reading", "speaking")]
    _, shortfalls = assemble(bank, "A2", set(), seed=1)
    assert [(s.part, s.found, s.needed) for s in shortfalls] == [
        ("reading", 0, PART_SOURCES["reading"].minimum),
        ("speaking", 0, PART_SOURCES["speaking"].minimum),
    ]


def test_a_part_result_moves_the_skill_toward_what_the_exam_measured() -> None:
    prior = irt.prior_log_density(-2.0, 1.0)
    cut = level_cut("A2", DEFAULT_CUTS)
    strong = irt.eap(prior + part_log_likelihood(0.9, 10, cut))
    weak = irt.eap(prior + part_log_likelihood(0.2, 10, cut))
    assert strong.theta > cut > weak.theta
    assert strong.se < 1.0
    # more questions, more evidence
    assert irt.eap(prior + part_log_likelihood(0.9, 20, cut)).se < strong.se
    # at the cut the curve expects 60 %: a 60 % result is most likely right at the cut
    flat = np.zeros_like(irt.GRID)
    peak = irt.GRID[np.argmax(flat + part_log_likelihood(0.6, 10, cut))]
    assert abs(peak - cut) < 0.11


def test_measured_speaking_replaces_the_proxy_in_readiness() -> None:
    from datetime import UTC, datetime

    from models.readiness import assess_readiness

    theta, se, cuts, now = (
        np.full(5, -1.5),
        np.full(5, 0.4),
        np.array([-1.5, -0.5, 0.5, 1.5]),
        datetime.now(UTC),
    )
    proxied = assess_readiness(theta, se, 1, cuts, now)
    strong = assess_readiness(theta, se, 1, cuts, now, speaking=(0.0, 0.3))
    weak = assess_readiness(theta, se, 1, cuts, now, speaking=(-3.0, 0.3))
    speaking = EXAM_PARTS.index("speaking")
    assert weak.expected_part_points[speaking] < proxied.expected_part_points[speaking]
    assert strong.expected_part_points[speaking] > proxied.expected_part_points[speaking]
    assert strong.expected_part_points[:speaking] == proxied.expected_part_points[:speaking]
    assert weak.probability < proxied.probability < strong.probability
    assert any("speaking" in note for note in proxied.notes)
    assert not any("speaking" in note for note in strong.notes)
