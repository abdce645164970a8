"""Where the CEFR levels sit on the ability scale before the item bank is calibrated from answers.

Authors' levels give each new item a starting difficulty; the cut points between bands are the
midpoints. Calibration (`keelerada calibrate`) later replaces both with fitted values.
"""

from __future__ import annotations

LEVELS = ("A1", "A2", "B1", "B2", "C1")
LEVEL_DIFFICULTY = {"A1": -1.5, "A2": -0.5, "B1": 0.5, "B2": 1.5, "C1": 2.5}
DEFAULT_CUTS = (-1.0, 0.0, 1.0, 2.0)


def level_of_band(band: int) -> str:
    return LEVELS[max(0, min(band, len(LEVELS) - 1))]
