"""Placement test: a computerised adaptive test that classifies a learner into a CEFR band.

Why classify rather than estimate: the outcome is a band, and a band is settled long before theta is
precise for anyone not sitting on a cut point. So the test
- picks, among items of the skills that are behind their share (content balancing), the one with most
  information at the cut point whose side is least certain (items near cut points decide bands);
- picks at random among the near-best few (randomesque exposure control; an optional cap on exposure
  rates rests over-used items);
- stops when the posterior gives one band probability >= a threshold that relaxes with test length (a
  learner still undecided after many items sits on a cut, where more items buy little), or when the
  test's standard error 1/sqrt(sum of item information) is <= 0.35, or at 25 items.

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

    @classmethod
    def from_arrays(cls, a: ArrayLike, b: ArrayLike, skill: ArrayLike) -> ItemBank:
        a_, b_, s_ = np.asarray(a, float), np.asarray(b, float), np.asarray(skill, int)
        if not (a_.shape == b_.shape == s_.shape) or a_.ndim != 1 or len(a_) == 0:
            raise ValueError("a, b and skill must be non-empty 1-D arrays of the same length")
        if np.any(a_ <= 0) or np.any(s_ < 0):
            raise ValueError("discriminations must be positive and skill indices non-negative")
        return cls(a_, b_, s_)


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
    band_probabilities: list[float]
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
    if band_probabilities(state.log_post, config.cuts).max() >= config.band_threshold(n):
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
    score = item_information(_target_cut(state, config), bank.a, bank.b)
    available = np.ones(len(bank.a), bool)
    available[state.items] = False
    available &= _balanced_skills(state, bank, config)[bank.skill]
    if exposure_rates is not None and config.max_exposure < 1.0:
        rested = available & (np.asarray(exposure_rates, float) < config.max_exposure)
        available = rested if rested.any() else available
    if not available.any():
        available = np.ones(len(bank.a), bool)
        available[state.items] = False
    score = np.where(available, score, -np.inf)
    top = np.argsort(-score, kind="stable")[: config.randomesque]
    top = top[score[top] >= config.randomesque_ratio * score[top[0]]]
    return int(rng.choice(top))


def placement_result(state: PlacementState, bank: ItemBank, config: PlacementConfig) -> PlacementResult:
    """The band is the most probable one (the Bayes decision), not the band of the point estimate."""
    probs = band_probabilities(state.log_post, config.cuts)
    overall = eap(state.log_post)
    per_skill = [eap(row) for row in state.skill_log_post]
    return PlacementResult(
        band=int(np.argmax(probs)),
        band_probabilities=probs.tolist(),
        theta=overall.theta,
        se=overall.se,
        skill_theta=[e.theta for e in per_skill],
        skill_se=[e.se for e in per_skill],
        n_items=len(state.items),
        stop_reason=stop_reason(state, bank, config),
    )


def _target_cut(state: PlacementState, config: PlacementConfig) -> float:
    """The cut point whose side the posterior is least sure of."""
    below = np.cumsum(band_probabilities(state.log_post, config.cuts))[:-1]
    return float(config.cuts[int(np.argmax(np.minimum(below, 1.0 - below)))])


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


def _measurement_se(state: PlacementState, bank: ItemBank) -> float:
    """1/sqrt(test information) at the EAP: what the items measured, without the prior's help."""
    theta = eap(state.log_post).theta
    info = item_information(theta, bank.a[state.items], bank.b[state.items]).sum()
    return float(1.0 / np.sqrt(info))
