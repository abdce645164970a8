"""Placement on the real starter bank: exposure, items used, accuracy, and "at least" above the bank.

2,000 simulated learners (theta ~ N(-1, 1.2): beginners to B2) take the live placement test: the bank,
prior and configuration the service builds (`learning_api.placement.service.Bank`) from the published
starter course (A1-A2 only), the selection, stopping and result of `models.placement`. Their answers
come from a truth the test does not know: each item's true difficulty is its author-level prior plus
N(0, 0.5), its true discrimination lognormal(0, 0.25). Two runs: a fresh install (randomesque only) and
after `keelerada models calibrate` has measured exposure (items asked in > 25 % of past tests rest).

Prints per run: max exposure (share of tests using the most used item; target <= 0.25), items used of
the bank, share of tests asking any A1 item, right band (true band, with every band above A2 counted as
"at least A2"), within one band, mean items, and how learners above A2 were reported.

Run: PYTHONPATH=. .venv/bin/python scripts/bench/placement_bank.py [--learners 2000] [--seed 0] [--json]
"""

from __future__ import annotations

import argparse
import asyncio
import json
import sys
import tempfile
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

from learning_api.placement.service import Bank, load_bank
from models.ability import band_of, p_correct
from models.placement import next_item, placement_result, record_answer, start_placement
from scripts.bench.starter import load_starter, opened

EXPOSURE_BURN_IN = 100


async def _bank(folder: Path) -> Bank:
    async with opened(folder) as (sessions, store), sessions() as session:
        return await load_bank(session, store)


def simulate(bank: Bank, learners: int, seed: int, measured_exposure: bool) -> dict[str, float]:
    rng = np.random.default_rng(seed)
    model, config = bank.model, bank.config
    true_a = rng.lognormal(0.0, 0.25, len(model.a))
    true_b = model.b + rng.normal(0.0, 0.5, len(model.b))
    theta = rng.normal(-1.0, 1.2, learners)
    _, top = model.band_range(len(config.cuts) + 1)
    uses = np.zeros(len(model.a))
    placed, at_least, n_items, any_a1 = [], [], [], []
    for k in range(learners):
        exposure = uses / max(k, EXPOSURE_BURN_IN) if measured_exposure else np.zeros(len(model.a))
        state = start_placement(config)
        while (item := next_item(state, model, config, rng, exposure)) is not None:
            right = rng.random() < p_correct(theta[k], true_a[item], true_b[item])
            state = record_answer(state, model, item, bool(right))
        uses[state.items] += 1
        result = placement_result(state, model, config)
        placed.append(result.band)
        at_least.append(result.at_least)
        n_items.append(len(state.items))
        any_a1.append(bool((model.level[state.items] == 0).any()))
    true_band = np.minimum(band_of(theta, config.cuts), top)
    placed_arr = np.array(placed)
    above = band_of(theta, config.cuts) > top
    return {
        "max_exposure": float(uses.max() / learners),
        "items_used": int((uses > 0).sum()),
        "bank_items": len(model.a),
        "tests_with_a1_items": float(np.mean(any_a1)),
        "right_band": float(np.mean(placed_arr == true_band)),
        "within_one_band": float(np.mean(np.abs(placed_arr - true_band) <= 1)),
        "mean_items": float(np.mean(n_items)),
        "above_top_reported_at_least": float(np.mean(np.array(at_least)[above]))
        if above.any()
        else float("nan"),
        "highest_band_reported": int(placed_arr.max()),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--learners", type=int, default=2000)
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--json", action="store_true", help="end with one JSON object")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        load_starter(Path(tmp))
        bank = asyncio.run(_bank(Path(tmp)))
    levels = sorted({int(v) for v in bank.model.level})
    print(
        f"starter bank: {len(bank.ids)} placement items, levels {levels}, "
        f"prior N({bank.config.prior_mean:.2f}, {bank.config.prior_sd:.2f}), cuts {bank.config.cuts}; "
        f"{args.learners} learners"
    )
    runs = {
        "fresh": simulate(bank, args.learners, args.seed, False),
        "measured_exposure": simulate(bank, args.learners, args.seed, True),
    }
    print(
        f"{'run':<18} {'max exp':>7} {'used':>9} {'A1 asked':>8} {'right':>6} {'within1':>7} {'items':>6} "
        f"{'above->at least':>15}"
    )
    for name, r in runs.items():
        print(
            f"{name:<18} {r['max_exposure']:>7.3f} {r['items_used']:>4}/{r['bank_items']:<4} "
            f"{r['tests_with_a1_items']:>8.3f} {r['right_band']:>6.3f} {r['within_one_band']:>7.3f} "
            f"{r['mean_items']:>6.1f} {r['above_top_reported_at_least']:>15.3f}"
        )
    worst = max(r["max_exposure"] for r in runs.values())
    print(
        f"target max exposure <= 0.25: {worst <= 0.25} ({worst:.3f}); "
        f"no band above the bank's top: "
        f"{all(r['highest_band_reported'] <= max(levels) for r in runs.values())}"
    )
    if args.json:
        print(json.dumps(runs))


if __name__ == "__main__":
    main()
