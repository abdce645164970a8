"""The retention the scheduler aims at, on the memory model's scale, so that learners really keep it.

The product promises DESIRED_RETENTION: an item comes back when the learner would recall it with that
probability. The scheduler can only ask its memory model when that is, so the promise holds only as far
as the model is calibrated where the scheduler acts: at predicted recall near the target. A power-law
model fitted on a young log can be well calibrated on average and still too hopeful at the long
intervals it is asked about (in the learning bench, fitted FSRS-6 predicted 0.86 on reviews a week or
more apart that learners got right 76 % of the time), and then every interval it hands out is too long
and words are let go before they are held.

So the fit measures, on the reviews it held out (answers it never trained on), how often learners
recalled the items it predicted near the target, and serves the target shifted by that gap in log-odds:
the feedback SuperMemo applies to its intervals to make the measured forgetting index match the one
requested. The shift only ever makes the scheduler stricter: the product's target is a promise (at least
that much is kept), not a workload to spend. A fit that looks too pessimistic near the target keeps the
promise already, and the reading is the less trustworthy one: the held-out reviews are the learner's
past material, and a learner moving through a course meets harder material next, where a model fitted
on the easier part is more hopeful, not less (in the learning bench, a day-20 fit read as too pessimistic
lengthened intervals to 0.86 and the words kept at day 60 fell by a third).
"""

from __future__ import annotations

import numpy as np
from numpy.typing import ArrayLike

DESIRED_RETENTION = 0.9
# Reviews "near the target": the scheduler books an item at the target, and the planner's load
# smoothing moves it by up to 15 % of its interval, so its predicted recall when answered lies within
# about this much of the target.
BAND = 0.05
# Fewer held-out reviews near the target than this: the gap is noise (a share measured on 200 answers
# near 0.9 has a standard error of about 0.02), the target is served as it is.
MIN_NEAR = 200
# The highest target a scheduler may serve: the top of the range FSRS's authors permit for desired
# retention (above it the review load grows steeply for little retention).
CEILING = 0.97


def _logit(p: float) -> float:
    return float(np.log(p / (1.0 - p)))


def scheduling_retention(
    predicted: ArrayLike, recalled: ArrayLike, desired: float = DESIRED_RETENTION
) -> float:
    """The model-scale retention to schedule at, so that the recall measured on held-out reviews
    (``recalled``: 1 right, 0 wrong, beside the model's ``predicted`` recall) would meet ``desired``: from
    ``desired`` (a model found right or pessimistic near it, or too few reviews near it to tell) up to
    CEILING."""
    p, y = np.asarray(predicted, float), np.asarray(recalled, float)
    near = np.abs(p - desired) <= BAND
    if near.sum() < MIN_NEAR:
        return desired
    eps = 1.0 / (2.0 * near.sum())  # a band all right (or all wrong) is a share, not a certainty
    expected = float(np.clip(p[near].mean(), eps, 1.0 - eps))
    observed = float(np.clip(y[near].mean(), eps, 1.0 - eps))
    shifted = _logit(desired) + _logit(expected) - _logit(observed)
    return float(np.clip(1.0 / (1.0 + np.exp(-shifted)), desired, CEILING))
