"""Keeping calibrated item parameters on the authors' scale, and CEFR cut points from a calibrated bank.

A calibration fixes its own scale (learners ~ N(0, 1) per skill), which moves with whoever answered.
Linking maps it back onto the scale the authors' levels define (level L items start at difficulty
`prior_b`): a linear map theta' = A·theta + B (so b' = A·b + B, a' = a / A) chosen so that the mean
calibrated difficulty of each level lands where the levels' prior difficulties are (mean-mean linking
on the level anchors). With one level only the spread cannot be anchored and A stays 1.

Cut points: a level-L item's prior difficulty is the top of band L minus the mastery logit (a learner at
the top of the band answers it right four times in five), for the authors' reference item (a = 1), so the
cut above band L is the median linked difficulty of level-L items plus the mastery logit. The cut is a
point of the learner scale, not of any item: the calibrated discriminations are left out on purpose
(first attempts that follow a sibling exercise of a known word come out very sharp, a ≈ 2–3, and dividing
by them pulled every cut a logit down, so placement and session ranking saw B1 learners in A2 items).
Levels the bank has no items of keep the default spacing from the nearest cut the bank does anchor: the
bank cannot say where they are.
"""

from __future__ import annotations

import numpy as np
from numpy.typing import ArrayLike, NDArray

A_RANGE = (0.4, 2.5)


def link_to_levels(
    a: ArrayLike, b: ArrayLike, prior_b: ArrayLike, levels: ArrayLike, weight: ArrayLike
) -> tuple[NDArray[np.float64], NDArray[np.float64], float, float]:
    """(linked a, linked b, A, B) for calibrated items of integer `levels`, weighted by answer counts."""
    a_, b_, pb = np.asarray(a, float), np.asarray(b, float), np.asarray(prior_b, float)
    lv, w = np.asarray(levels, int), np.asarray(weight, float)
    present = np.unique(lv)
    slope = 1.0
    if len(present) >= 2:
        cal = np.array([np.average(b_[lv == k], weights=w[lv == k]) for k in present])
        pri = np.array([np.average(pb[lv == k], weights=w[lv == k]) for k in present])
        if np.ptp(cal) > 1e-6:
            slope = float(np.clip(np.polyfit(cal, pri, 1)[0], *A_RANGE))
    shift = float(np.average(pb - slope * b_, weights=w))
    return a_ / slope, slope * b_ + shift, slope, shift


def anchored_cuts(
    b: ArrayLike, levels: ArrayLike, default_cuts: ArrayLike, mastery_logit: float
) -> NDArray[np.float64]:
    """Ascending cut points; the cut above level k from the bank's linked level-k difficulties where it
    has some."""
    b_, lv = np.asarray(b, float), np.asarray(levels, int)
    default = np.asarray(default_cuts, float)
    cuts = np.full(len(default), np.nan)
    for k in range(len(default)):
        own = lv == k
        if own.any():
            cuts[k] = float(np.median(b_[own]) + mastery_logit)
    anchored = np.flatnonzero(np.isfinite(cuts))
    if len(anchored) == 0:
        return default.copy()
    for k in range(len(default)):  # unanchored cuts keep the default spacing from the nearest anchored one
        if not np.isfinite(cuts[k]):
            near = anchored[np.argmin(np.abs(anchored - k))]
            cuts[k] = cuts[near] + default[k] - default[near]
    return np.maximum.accumulate(cuts)
