"""Where the CEFR levels sit on the ability scale before the item bank is calibrated from answers.

Authors' levels give each new item a starting difficulty in the middle of its band; the cut points
between bands lie halfway (the placement model was tuned on the same cuts). Calibration later replaces
both with values fitted from the answer log.
"""

from __future__ import annotations

LEVELS = ("A1", "A2", "B1", "B2", "C1")
LEVEL_DIFFICULTY = {"A1": -2.0, "A2": -1.0, "B1": 0.0, "B2": 1.0, "C1": 2.0}
DEFAULT_CUTS = (-1.5, -0.5, 0.5, 1.5)


def level_of_band(band: int) -> str:
    return LEVELS[max(0, min(band, len(LEVELS) - 1))]
