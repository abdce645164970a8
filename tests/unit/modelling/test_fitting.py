"""`models fit` scores and promotes what the request path serves: the fitted weights, not the layer."""

from __future__ import annotations

import numpy as np

from learning_api.modelling.fitting import served_part
from models.memory import FSRS6_DEFAULT_WEIGHTS
from models.recall import RecallModel


def test_the_served_part_of_a_fit_is_its_weights_without_the_layer() -> None:
    weights = FSRS6_DEFAULT_WEIGHTS * 1.1
    own = {3: FSRS6_DEFAULT_WEIGHTS * 0.9}
    layer = {
        "coef": [0.5, -0.2], "mean": [0.0], "scale": [1.0],
        "spec": {"exercise_codes": [], "lemma": False, "item_difficulty": False, "learners": False},
    }  # fmt: skip
    fitted = RecallModel.from_params({"weights": weights.tolist(), "exact_time": True, "layer": layer}, own)
    assert fitted.coef_ is not None
    served = served_part(fitted)
    assert served.coef_ is None  # predictions are the fitted FSRS-6's, as the live scheduler's are
    assert np.array_equal(served.weights_, weights) and served.exact_time
    assert served.learner_weights_.keys() == own.keys()
