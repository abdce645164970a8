"""Placement test simulation: our classifying CAT vs a random-order test vs catsim's max-information CAT.

All three meet the same simulated learners and the same answers: each (learner, item) pair has one
pre-drawn uniform, so a learner answers an item the same way whichever test gives it (common random
numbers: the differences between methods are not sampling noise between runs).

Bank: a ~ lognormal(0, 0.25), b ~ U(-3, 3), skills round-robin; learners theta ~ N(0, 1.2); bands cut at
-1.5/-0.5/0.5/1.5. Ours uses the population N(0, 1.2) as its prior (what a calibration estimates) and no
exposure cap (--max-exposure 0.3 adds a capped run). With --calibrate the tests select and score with
parameters calibrated by models.calibration from a simulated answer log instead of the true ones.

Run: .venv/bin/python -m scripts.bench.placement [--learners 2000] [--items 600] [--seed 0]
     [--calibrate] [--max-exposure 0.3] [--json]
"""

from __future__ import annotations

import argparse
import json
from collections.abc import Callable
from dataclasses import dataclass

import numpy as np
from catsim.estimation import NumericalSearchEstimator
from catsim.item_bank import ItemBank as CatsimBank
from catsim.selection import MaxInfoSelector
from catsim.stopping import MinErrorStopper

from models.ability import SKILLS, band_of, band_probabilities, p_correct, posterior_from_answers
from models.calibration import TwoPLCalibrator
from models.placement import (
    ItemBank,
    PlacementConfig,
    next_item,
    placement_result,
    record_answer,
    start_placement,
)

CUTS = (-1.5, -0.5, 0.5, 1.5)
POPULATION_SD = 1.2
MAX_ITEMS = 25
EXPOSURE_BURN_IN = 100  # tests before exposure rates mean anything


@dataclass(frozen=True)
class World:
    true_a: np.ndarray
    true_b: np.ndarray
    bank: ItemBank  # what the tests believe (true or calibrated parameters)
    theta: np.ndarray
    uniforms: np.ndarray  # (learner, item) -> the draw deciding that answer

    def answer(self, learner: int, item: int) -> bool:
        p = p_correct(self.theta[learner], self.true_a[item], self.true_b[item])
        return bool(self.uniforms[learner, item] < p)


@dataclass(frozen=True)
class Outcome:
    band: int
    n_items: int


def make_world(n_learners: int, n_items: int, seed: int, calibrate: bool) -> World:
    rng = np.random.default_rng(seed)
    a, b = rng.lognormal(0.0, 0.25, n_items), rng.uniform(-3.0, 3.0, n_items)
    skill = np.arange(n_items) % len(SKILLS)
    theta = rng.normal(0.0, POPULATION_SD, n_learners)
    uniforms = rng.random((n_learners, n_items))
    bank = ItemBank.from_arrays(a, b, skill)
    if calibrate:
        bank = ItemBank.from_arrays(*_calibrated(a, b, rng), skill)
    return World(a, b, bank, theta, uniforms)


def _calibrated(a: np.ndarray, b: np.ndarray, rng: np.random.Generator) -> tuple[np.ndarray, np.ndarray]:
    """Calibrate from 4,000 other learners answering 60 random items each; rescale to the N(0, 1.2) bank."""
    n_log, per = 4000, 60
    theta = rng.normal(0.0, POPULATION_SD, n_log)
    learners = np.repeat(np.arange(n_log), per)
    items = np.concatenate([rng.choice(len(a), per, replace=False) for _ in range(n_log)])
    y = rng.random(len(items)) < p_correct(theta[learners], a[items], b[items])
    model = TwoPLCalibrator(n_items=len(a)).fit(np.c_[learners, items], y)
    # the calibration scale is N(0, 1); the bench's cut points live on the N(0, 1.2) scale
    return model.a_ / POPULATION_SD, model.b_ * POPULATION_SD


def run_ours(world: World, seed: int, max_exposure: float = 1.0) -> list[Outcome]:
    config = PlacementConfig(
        cuts=CUTS, prior_sd=POPULATION_SD, max_items=MAX_ITEMS, max_exposure=max_exposure
    )
    rng = np.random.default_rng(seed)
    uses = np.zeros(len(world.bank.a))
    out = []
    for learner in range(len(world.theta)):
        state = start_placement(config)
        exposure = uses / max(learner, EXPOSURE_BURN_IN)
        while (item := next_item(state, world.bank, config, rng, exposure)) is not None:
            state = record_answer(state, world.bank, item, world.answer(learner, item))
        uses[state.items] += 1
        out.append(Outcome(placement_result(state, world.bank, config).band, len(state.items)))
    return out


def run_random(world: World, seed: int) -> list[Outcome]:
    """Fixed-length test in random order, scored by the same EAP posterior and Bayes band decision."""
    rng = np.random.default_rng(seed)
    bank = world.bank
    out = []
    for learner in range(len(world.theta)):
        items = rng.choice(len(bank.a), MAX_ITEMS, replace=False)
        correct = [world.answer(learner, int(i)) for i in items]
        log_post = posterior_from_answers(bank.a[items], bank.b[items], correct, prior_sd=POPULATION_SD)
        out.append(Outcome(int(np.argmax(band_probabilities(log_post, CUTS))), MAX_ITEMS))
    return out


def run_catsim(world: World, seed: int) -> list[Outcome]:
    """catsim 0.21 components driven by hand so they see our answers: MaxInfoSelector (no exposure cap),
    NumericalSearchEstimator (ML with Dodd's rule), MinErrorStopper(0.35, max_items=25), start at 0."""
    del seed  # catsim's selection is deterministic
    bank = CatsimBank(
        np.c_[world.bank.a, world.bank.b, np.zeros(len(world.bank.a)), np.ones(len(world.bank.a))]
    )
    selector, estimator = MaxInfoSelector(), NumericalSearchEstimator()
    stopper = MinErrorStopper(0.35, max_items=MAX_ITEMS)
    out = []
    for learner in range(len(world.theta)):
        items: list[int] = []
        answers: list[bool] = []
        theta = 0.0
        while not stopper.stop(administered_items=bank.items[items, :4], theta=theta):
            item = int(selector.select(item_bank=bank, administered_items=items, est_theta=theta))
            items.append(item)
            answers.append(world.answer(learner, item))
            theta = estimator.estimate(
                item_bank=bank, administered_items=items, response_vector=answers, est_theta=theta
            )
        out.append(Outcome(int(band_of(theta, CUTS)), len(items)))
    return out


METHODS: dict[str, Callable[[World, int], list[Outcome]]] = {
    "ours": run_ours,
    "random": run_random,
    "catsim": run_catsim,
}


def summarise(world: World, outcomes: list[Outcome]) -> dict[str, float]:
    true_band = band_of(world.theta, CUTS)
    placed = np.array([o.band for o in outcomes])
    return {
        "right_band_share": float(np.mean(placed == true_band)),
        "within_one_band_share": float(np.mean(np.abs(placed - true_band) <= 1)),
        "mean_items": float(np.mean([o.n_items for o in outcomes])),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--learners", type=int, default=2000)
    parser.add_argument("--items", type=int, default=600)
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--calibrate", action="store_true", help="tests use calibrated, not true, parameters")
    parser.add_argument(
        "--max-exposure", type=float, default=1.0, help="also run ours with this exposure cap"
    )
    parser.add_argument("--json", action="store_true", help="end with one JSON object")
    args = parser.parse_args()

    world = make_world(args.learners, args.items, args.seed, args.calibrate)
    results = {name: summarise(world, run(world, args.seed + 1)) for name, run in METHODS.items()}
    if args.max_exposure < 1.0:
        capped = run_ours(world, args.seed + 1, args.max_exposure)
        results[f"ours_cap{args.max_exposure:g}"] = summarise(world, capped)
    print(f"{args.learners} learners, {args.items} items, calibrated bank: {args.calibrate}")
    print(f"{'method':<12} {'right band':>10} {'within one':>10} {'mean items':>10} {'items / catsim':>14}")
    for name, r in results.items():
        ratio = r["mean_items"] / results["catsim"]["mean_items"]
        print(
            f"{name:<12} {r['right_band_share']:>10.3f} {r['within_one_band_share']:>10.4f} "
            f"{r['mean_items']:>10.2f} {ratio:>14.3f}"
        )
    ours, cat = results["ours"], results["catsim"]
    print(
        f"targets: right band >= catsim: {ours['right_band_share'] >= cat['right_band_share']}; "
        f"items <= 0.75 x catsim: {ours['mean_items'] <= 0.75 * cat['mean_items']}; "
        f"within one band >= 99.5%: {ours['within_one_band_share'] >= 0.995}"
    )
    if args.json:
        print(json.dumps(results))


if __name__ == "__main__":
    main()
