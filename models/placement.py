"""Placement test: a computerised adaptive test that classifies a learner into a CEFR band.

Why classify rather than estimate: the outcome is a band, and a band is settled long before theta is
precise for anyone not sitting on a cut point. So the test
- starts at the prior's centre, then picks, among items of the skills that are behind their share
  (content balancing), the one with most information at the cut point whose side is least certain
  (items near cut points decide bands); only cuts the bank can decide count: those between its lowest
  and its top level, and the one above its top level (to tell "at least the top level" apart);
- picks at random among all items within `randomesque_ratio` of the best information, at least
  `randomesque` of them (randomesque exposure control: a real bank has many items of one level with the
  same prior difficulty, and a fixed top few would hand every learner the same ones); an optional cap
  on exposure rates rests over-used items (Sympson-Hetter-like, from past tests' exposure);
- stops when the posterior gives one band probability >= a threshold that relaxes with test length (a
  learner still undecided after many items sits on a cut, where more items buy little), or when the
  test's standard error 1/sqrt(sum of item information) is <= 0.35, or at 25 items.

Bands above the bank's top level are one outcome, "at least <top level>": a bank of A1-A2 items cannot
tell B1 from C1, so it never reports either.

The state between HTTP calls is `PlacementState`: plain lists, `to_dict()` is JSON-ready.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace

import numpy as np
from numpy.typing import ArrayLike, NDArray

from models.ability import (
    GRID,
    SKILLS,
    band_probabilities,
    eap,
    item_information,
    prior_log_density,
    update_log_posterior,
)

STOP_BAND, STOP_SE, STOP_LENGTH, STOP_BANK = "band_decided", "standard_error", "max_items", "bank_exhausted"


@dataclass(frozen=True)
class ItemBank:
    """Calibrated placement items; `skill` is an index into SKILLS.

    The test treats placement as one general ability (calibrate the placement items jointly, all skills in
    one TwoPLCalibrator fit); the per-skill posteriors it keeps are a first estimate to seed each skill's
    own ability model, not a per-skill placement."""

    a: NDArray[np.float64]
    b: NDArray[np.float64]
    skill: NDArray[np.int64]
    level: NDArray[np.int64] | None = None  # the authors' CEFR band of each item, when known

    @classmethod
    def from_arrays(
        cls, a: ArrayLike, b: ArrayLike, skill: ArrayLike, level: ArrayLike | None = None
    ) -> ItemBank:
        a_, b_, s_ = np.asarray(a, float), np.asarray(b, float), np.asarray(skill, int)
        l_ = None if level is None else np.asarray(level, int)
        if not (a_.shape == b_.shape == s_.shape) or a_.ndim != 1 or len(a_) == 0:
            raise ValueError("a, b and skill must be non-empty 1-D arrays of the same length")
        if l_ is not None and l_.shape != a_.shape:
            raise ValueError("level must have one entry per item")
        if np.any(a_ <= 0) or np.any(s_ < 0):
            raise ValueError("discriminations must be positive and skill indices non-negative")
        return cls(a_, b_, s_, l_)

    def band_range(self, n_bands: int) -> tuple[int, int]:
        """(lowest, top) band the bank can place a learner in: its authors' lowest and highest level."""
        if self.level is None:
            return 0, n_bands - 1
        return int(self.level.min()), int(self.level.max())


@dataclass(frozen=True)
class PlacementConfig:
    """Tuned on scripts/bench/placement.py (seeded); `cuts` come from `cefr_cut_points`."""

    cuts: tuple[float, ...] = (-1.5, -0.5, 0.5, 1.5)
    prior_mean: float = 0.0
    prior_sd: float = 1.0
    max_items: int = 25
    se_stop: float = 0.35
    band_stop_start: float = 0.92
    band_stop_end: float = 0.5
    skill_shares: tuple[float, ...] = (0.2, 0.2, 0.2, 0.2, 0.2)
    balance_slack: float = 1.0
    randomesque: int = 3
    randomesque_ratio: float = 0.9
    max_exposure: float = 1.0  # 1 = no cap: randomesque alone spreads exposure (a cap costs items)
    level_min_share: float = 0.2  # each level the bank has gets at least this share of the items asked

    def band_threshold(self, n_items: int) -> float:
        """Band probability needed to stop after n_items: strict early, relaxed towards the cap."""
        frac = min(n_items / self.max_items, 1.0)
        return self.band_stop_start + (self.band_stop_end - self.band_stop_start) * frac


@dataclass(frozen=True)
class PlacementState:
    """Posterior on GRID overall and per skill, plus the answers so far. Immutable; JSON via to_dict."""

    log_post: list[float]
    skill_log_post: list[list[float]]
    items: list[int] = field(default_factory=list)
    correct: list[bool] = field(default_factory=list)

    def to_dict(self) -> dict[str, list]:
        return {
            "log_post": self.log_post,
            "skill_log_post": self.skill_log_post,
            "items": self.items,
            "correct": self.correct,
        }

    @classmethod
    def from_dict(cls, data: dict[str, list]) -> PlacementState:
        state = cls(
            log_post=[float(x) for x in data["log_post"]],
            skill_log_post=[[float(x) for x in row] for row in data["skill_log_post"]],
            items=[int(i) for i in data["items"]],
            correct=[bool(c) for c in data["correct"]],
        )
        if len(state.log_post) != len(GRID) or any(len(r) != len(GRID) for r in state.skill_log_post):
            raise ValueError(f"posteriors must have {len(GRID)} grid values")
        if len(state.items) != len(state.correct):
            raise ValueError("items and correct must have the same length")
        return state


@dataclass(frozen=True)
class PlacementResult:
    band: int
    band_probabilities: list[float]  # bands up to the bank's top; the top one includes everything above
    at_least: bool  # above the bank's top level more likely than in it: "at least <top level>"
    theta: float
    se: float
    skill_theta: list[float]
    skill_se: list[float]
    n_items: int
    stop_reason: str | None


def start_placement(config: PlacementConfig, n_skills: int = len(SKILLS)) -> PlacementState:
    prior = prior_log_density(config.prior_mean, config.prior_sd).tolist()
    return PlacementState(log_post=prior, skill_log_post=[list(prior) for _ in range(n_skills)])


def record_answer(state: PlacementState, bank: ItemBank, item: int, correct: bool) -> PlacementState:
    """New state after one answer; O(grid) for the overall and the item's skill posterior."""
    if item in state.items:
        raise ValueError(f"item {item} was already given in this test")
    a, b, skill = float(bank.a[item]), float(bank.b[item]), int(bank.skill[item])
    skill_post = [list(row) for row in state.skill_log_post]
    skill_post[skill] = update_log_posterior(skill_post[skill], a, b, correct).tolist()
    return replace(
        state,
        log_post=update_log_posterior(state.log_post, a, b, correct).tolist(),
        skill_log_post=skill_post,
        items=[*state.items, item],
        correct=[*state.correct, bool(correct)],
    )


def stop_reason(state: PlacementState, bank: ItemBank, config: PlacementConfig) -> str | None:
    """Why the test should stop now, or None to go on."""
    n = len(state.items)
    if n >= config.max_items:
        return STOP_LENGTH
    if n >= len(bank.a):
        return STOP_BANK
    if testable_band_probabilities(state.log_post, bank, config).max() >= config.band_threshold(n):
        return STOP_BAND
    if n and _measurement_se(state, bank) <= config.se_stop:
        return STOP_SE
    return None


def next_item(
    state: PlacementState,
    bank: ItemBank,
    config: PlacementConfig,
    rng: np.random.Generator,
    exposure_rates: ArrayLike | None = None,
) -> int | None:
    """The next item to give, or None when the test should stop.

    `exposure_rates` (share of past tests that used each item) with `config.max_exposure` < 1 lets
    over-used items rest; they are only taken when nothing else of the wanted skills is left. On the bench a
    cap of 0.3 costs about 0.8 items per test at equal accuracy, so it is off by default.
    """
    if stop_reason(state, bank, config) is not None:
        return None
    score = item_information(_target(state, bank, config), bank.a, bank.b)
    available = np.ones(len(bank.a), bool)
    available[state.items] = False
    available &= _balanced_skills(state, bank, config)[bank.skill]
    if bank.level is not None:
        lagging = _lagging_levels(state, bank, config)
        if lagging.any() and (available & lagging[bank.level]).any():
            available &= lagging[bank.level]
    if exposure_rates is not None and config.max_exposure < 1.0:
        rested = available & (np.asarray(exposure_rates, float) < config.max_exposure)
        available = rested if rested.any() else available
    if not available.any():
        available = np.ones(len(bank.a), bool)
        available[state.items] = False
    score = np.where(available, score, -np.inf)
    best = score.max()
    near = np.flatnonzero(score >= config.randomesque_ratio * best)
    if len(near) < config.randomesque:
        near = np.argsort(-score, kind="stable")[: config.randomesque]
        near = near[np.isfinite(score[near])]
    return int(rng.choice(near))


def placement_result(state: PlacementState, bank: ItemBank, config: PlacementConfig) -> PlacementResult:
    """The band is the most probable one the bank can test (the Bayes decision), not the band of the
    point estimate; at the top, `at_least` says the learner may well be above it."""
    probs = testable_band_probabilities(state.log_post, bank, config)
    _, top = bank.band_range(len(config.cuts) + 1)
    decision = int(np.argmax(probs))
    overall = eap(state.log_post)
    per_skill = [eap(row) for row in state.skill_log_post]
    return PlacementResult(
        band=min(decision, top),
        band_probabilities=probs.tolist(),
        at_least=decision > top,
        theta=overall.theta,
        se=overall.se,
        skill_theta=[e.theta for e in per_skill],
        skill_se=[e.se for e in per_skill],
        n_items=len(state.items),
        stop_reason=stop_reason(state, bank, config),
    )


def testable_band_probabilities(
    log_post: ArrayLike, bank: ItemBank, config: PlacementConfig
) -> NDArray[np.float64]:
    """Probability of each band up to the bank's top level, then one entry for everything above it (the
    bank cannot tell B1 from C1 with A2 items, but it can tell "A2" from "above A2")."""
    probs = band_probabilities(log_post, config.cuts)
    _, top = bank.band_range(len(probs))
    return np.r_[probs[: top + 1], probs[top + 1 :].sum()] if top + 1 < len(probs) else probs


def _target(state: PlacementState, bank: ItemBank, config: PlacementConfig) -> float:
    """Where the next item should measure: the prior's centre first, then the cut the bank can decide
    whose side the posterior is least sure of."""
    if not state.items:
        return eap(state.log_post).theta
    lowest, top = bank.band_range(len(config.cuts) + 1)
    cuts = np.asarray(config.cuts)[lowest : min(top + 1, len(config.cuts))]
    if len(cuts) == 0:
        return eap(state.log_post).theta
    below = np.cumsum(band_probabilities(state.log_post, cuts))[:-1]
    return float(cuts[int(np.argmax(np.minimum(below, 1.0 - below)))])


def _balanced_skills(state: PlacementState, bank: ItemBank, config: PlacementConfig) -> NDArray[np.bool_]:
    """Skills eligible next: those `balance_slack` items behind their share if any, else all not that far
    ahead. Shares are renormalised over the skills the bank has items for."""
    n_skills = max(len(config.skill_shares), int(bank.skill.max()) + 1)
    shares = np.zeros(n_skills)
    shares[: len(config.skill_shares)] = config.skill_shares
    shares[np.bincount(bank.skill, minlength=n_skills) == 0] = 0.0
    if shares.sum() == 0:
        return np.ones(n_skills, bool)
    counts = np.bincount(bank.skill[state.items], minlength=n_skills) if state.items else np.zeros(n_skills)
    behind = shares / shares.sum() * (len(state.items) + 1) - counts
    lagging = behind >= config.balance_slack
    return lagging if lagging.any() else behind > -config.balance_slack


def _lagging_levels(state: PlacementState, bank: ItemBank, config: PlacementConfig) -> NDArray[np.bool_]:
    """Levels of the bank a whole item behind their minimum share: the easiest levels would otherwise
    never be asked (their items inform below the cuts the test decides), and a test that never asks
    A1 cannot tell a shaky A1 from a beginner by what they actually answered."""
    assert bank.level is not None
    n_levels = int(bank.level.max()) + 1
    has = np.bincount(bank.level, minlength=n_levels) > 0
    counts = np.bincount(bank.level[state.items], minlength=n_levels) if state.items else np.zeros(n_levels)
    return has & (config.level_min_share * (len(state.items) + 1) - counts >= 1.0)


def _measurement_se(state: PlacementState, bank: ItemBank) -> float:
    """1/sqrt(test information) at the EAP: what the items measured, without the prior's help."""
    theta = eap(state.log_post).theta
    info = item_information(theta, bank.a[state.items], bank.b[state.items]).sum()
    return float(1.0 / np.sqrt(info))
