"""The truth side of the learning bench: the simulated learners, their A2 exam, the SM-2 arm beside the
app, and what each arm is scored on. Nothing here reads the app's own models or predictions."""

from __future__ import annotations

from pathlib import Path

import numpy as np

from models.ability import SKILLS, p_correct
from models.learner_sim import TrueWorld

EXAM_CUT = -1.5  # the A1|A2 cut: a learner there passes an A2 exam part with 60 % (as the exam is built)
SECONDS_OVERHEAD = 4.0  # reading the prompt and the feedback, on top of answering


class Learners:
    """The shared truth of one run, copied fresh for every arm."""

    def __init__(self, n: int, b: np.ndarray, skill: np.ndarray, lemma: np.ndarray, seed: int) -> None:
        self.seed, self.args = seed, (n, b, skill, lemma)

    def world(self) -> TrueWorld:
        n, b, skill, lemma = self.args
        return TrueWorld.draw(n, b, skill, lemma, np.random.default_rng(self.seed))

    def resumed(self, kept: list[Path]) -> TrueWorld:
        """The world with the learners' memory as `keep` left it in each file that exists (shards of
        learners study in other processes, a phase at a time)."""
        world = self.world()
        for path in kept:
            if path.exists():
                with np.load(path) as saved:
                    world.times[saved["learners"]] = saved["times"]
                    world.decays[saved["learners"]] = saved["decays"]
        return world

    def exam_rng(self) -> np.random.Generator:
        """The app arms' exam draws: the same exams for both."""
        return np.random.default_rng([self.seed, 2])


def keep(world: TrueWorld, learners: list[int], path: Path) -> None:
    """The memory traces of `learners` (what their answers left), for `Learners.resumed`."""
    np.savez(path, learners=learners, times=world.times[learners], decays=world.decays[learners])


def exam_pass_probability(
    world: TrueWorld, day: float, rng: np.random.Generator, sims: int = 400
) -> np.ndarray:
    """Share of simulated A2 exams each learner passes: four parts of 25 items (difficulty spread 0.6),
    listening/reading/writing from the true skills, speaking from listening and writing plus a personal
    offset; pass with >= 60 points and no part at 0."""
    theta = world.theta(np.arange(len(world.alpha)), day)
    s = {k: SKILLS.index(k) for k in SKILLS}
    speaking = (theta[:, s["listening"]] + theta[:, s["writing"]]) / 2 + rng.normal(0, 0.3, len(theta))
    parts = np.column_stack(
        [theta[:, s["listening"]], theta[:, s["reading"]], theta[:, s["writing"]], speaking]
    )
    b0 = EXAM_CUT - np.log(0.6 / 0.4)
    b = rng.normal(b0, 0.6, (sims, 4, 25))
    p = p_correct(parts[:, None, :, None], 1.0, b[None])  # (learners, sims, parts, items)
    points = (rng.random(p.shape) < p).sum(axis=-1)
    passed = (points.sum(axis=-1) >= 60) & (points.min(axis=-1) > 0)
    return passed.mean(axis=1)


def run_sm2(learners: Learners, order: np.ndarray, days: int, minutes: float) -> dict:
    """Course order, SM-2 intervals (quality 4 if right, 1 if wrong), the same truth and minutes."""
    world = learners.world()
    rng = np.random.default_rng(learners.seed + 1)
    n, m = len(world.alpha), len(order)
    due, ivl = np.full((n, m), np.inf), np.zeros((n, m))
    ef, reps = np.full((n, m), 2.5), np.zeros((n, m), int)
    seen = np.zeros(n, int)
    studied = 0.0
    for day in range(days):
        for k in range(n):
            theta, used, at = world.theta(k, day)[0], 0.0, day + float(rng.uniform(0, 10)) / 24
            queue = list(np.flatnonzero(due[k] <= day))
            while used < minutes * 60:
                if queue:
                    j = int(queue.pop(0))
                elif seen[k] < m:
                    j, seen[k] = int(order[seen[k]]), seen[k] + 1
                else:
                    break
                right = bool(rng.random() < world.answer(k, j, at, theta))
                latency = float(rng.lognormal(np.log(6000 if right else 9000), 0.4)) / 1000
                q = 4 if right else 1
                ivl[k, j] = (
                    (1 if reps[k, j] == 0 else 6 if reps[k, j] == 1 else round(ivl[k, j] * ef[k, j]))
                    if right
                    else 1
                )
                reps[k, j] = reps[k, j] + 1 if right else 0
                ef[k, j] = max(1.3, ef[k, j] + 0.1 - (5 - q) * (0.08 + (5 - q) * 0.02))
                due[k, j] = day + ivl[k, j]
                used += latency + SECONDS_OVERHEAD
                at += (latency + SECONDS_OVERHEAD) / 86_400
            studied += used / 60
    return summary(world, days, studied, None, rng)


def summary(
    world: TrueWorld, days: int, minutes: float, predicted: np.ndarray | None, rng: np.random.Generator
) -> dict:
    learners = np.arange(len(world.alpha))
    retained = (world.recall_lemmas(learners, float(days)) >= 0.9).sum(axis=1)
    simulated = exam_pass_probability(world, float(days), rng)
    out = {
        "words_retained": float(retained.mean()),
        "study_minutes": minutes / len(learners),
        "words_per_minute": float(retained.sum() / max(minutes, 1e-9)),
        "simulated_pass_rate": float(simulated.mean()),
    }
    if predicted is not None:
        out |= {
            "predicted_pass_rate": float(predicted.mean()),
            "readiness_brier": float(np.mean((predicted - simulated) ** 2)),
        }
    return out
