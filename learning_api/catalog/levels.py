"""Where the CEFR levels sit on the ability scale before the item bank is calibrated from answers.

The cut points between bands are those the placement model was tuned on. An item of level L starts
with the difficulty that a learner at the top of band L answers right four times in five (mastery of a
level's material puts one at its upper edge, not beyond it). Calibration later replaces both with
values fitted from the answer log.
"""

from __future__ import annotations

import math

LEVELS = ("A1", "A2", "B1", "B2", "C1")
DEFAULT_CUTS = (-1.5, -0.5, 0.5, 1.5)
MASTERY_LOGIT = math.log(0.8 / 0.2)
_UPPER_EDGE = (*DEFAULT_CUTS, DEFAULT_CUTS[-1] + 1.0)
LEVEL_DIFFICULTY = {
    level: round(edge - MASTERY_LOGIT, 2) for level, edge in zip(LEVELS, _UPPER_EDGE, strict=True)
}


def level_of_band(band: int) -> str:
    return LEVELS[max(0, min(band, len(LEVELS) - 1))]
