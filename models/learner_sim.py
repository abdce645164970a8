"""Simulated learners whose ground truth is of another family than the scheduler's memory model.

Memory is ACT-R's base-level activation with Pavlik & Anderson's spacing effect (not FSRS's stability and
difficulty): each exposure k of a lemma leaves a trace that decays as age^(-d_k), with
d_k = c·exp(m_k) + alpha, where m_k is the lemma's activation when exposure k happened, so massed
practice (high activation) decays fast and spaced practice lasts. Exposures to any item of a lemma feed the
same traces (siblings share memory: what is learnt is the word, whichever exercise showed it).
Ages are in days scaled by `psych_time` (ACT-R's slower forgetting between sessions).

An answer is right with P = sigmoid((m - tau)/s + theta_skill - beta_item): memory of the lemma plus the
learner's true ability in the item's skill against the item's true difficulty (which the app never sees;
it has the author's level and what calibration recovers). Ability grows with the lemmas the learner
holds in memory, so the simulated exam at the end depends on what was really learnt.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np
from numpy.typing import NDArray

from models.ability import SKILLS

MAX_TRACES = 40
MIN_AGE = 0.01  # days: a trace is not infinitely strong in the minutes after an exposure
MAX_DECAY = 2.0


@dataclass(frozen=True)
class TruthConfig:
    c: float = 0.25
    alpha_mean: float = 0.22
    alpha_sd: float = 0.05
    tau: float = 0.3
    s: float = 0.3
    unknown: float = 1.5  # memory term of a word never met: ability alone answers, less well
    psych_time: float = 0.2  # days of forgetting per calendar day away from study
    growth: float = 1.2  # theta gained per skill when every lemma of the course is held
    theta_mean: float = -2.0
    theta_sd: float = 0.8
    skill_sd: float = 0.35
    item_sd: float = 0.5


@dataclass
class TrueWorld:
    """Ground truth for `n` learners over `m` items grouped into lemmas (item -> lemma, -1: none)."""

    theta0: NDArray[np.float64]  # (n, skills)
    alpha: NDArray[np.float64]  # (n,)
    beta: NDArray[np.float64]  # (m,)
    skill: NDArray[np.int64]  # (m,)
    lemma: NDArray[np.int64]  # (m,) dense lemma index; items without a lemma get their own
    n_lemmas: int
    config: TruthConfig
    times: NDArray[np.float64]  # (n, lemmas, MAX_TRACES) exposure day, NaN empty
    decays: NDArray[np.float64]

    @classmethod
    def draw(
        cls,
        n: int,
        item_b: NDArray[np.float64],
        skill: NDArray[np.int64],
        lemma: NDArray[np.int64],
        rng: np.random.Generator,
        config: TruthConfig = TruthConfig(),
    ) -> TrueWorld:
        """Learners with general + per-skill abilities and their own decay; items' true difficulty
        scattered around the author's estimate `item_b` (authors are right on average, not per item)."""
        general = rng.normal(config.theta_mean, config.theta_sd, n)
        theta0 = general[:, None] + rng.normal(0.0, config.skill_sd, (n, len(SKILLS)))
        alpha = np.clip(rng.normal(config.alpha_mean, config.alpha_sd, n), 0.08, 0.45)
        beta = np.asarray(item_b, float) + rng.normal(0.0, config.item_sd, len(item_b))
        lemma = np.asarray(lemma, int).copy()
        loose = lemma < 0
        lemma[loose] = lemma.max(initial=-1) + 1 + np.arange(loose.sum())
        n_lemmas = int(lemma.max(initial=-1)) + 1
        shape = (n, n_lemmas, MAX_TRACES)
        return cls(
            theta0,
            alpha,
            beta,
            np.asarray(skill, int),
            lemma,
            n_lemmas,
            config,
            np.full(shape, np.nan),
            np.zeros(shape),
        )

    def activation(
        self, learner: int | NDArray[np.int64], lemmas: NDArray[np.int64], day: float
    ) -> NDArray[np.float64]:
        """Activation of each (learner, lemma) at `day`; -inf before any exposure."""
        t = self.times[learner, lemmas]
        age = np.maximum(day - t, MIN_AGE) * self.config.psych_time
        terms = np.where(np.isnan(t), 0.0, age ** (-self.decays[learner, lemmas]))
        total = terms.sum(axis=-1)
        with np.errstate(divide="ignore"):
            return np.log(total)

    def theta(self, learner: int | NDArray[np.int64], day: float) -> NDArray[np.float64]:
        """True ability per skill now: the start plus growth with the share of the course's lemmas held.
        Only the lemmas met are computed (a lemma never met has no trace, so it is not held): the bench
        asks this every learner-day, when most of the course is still unmet."""
        learners = np.atleast_1d(learner)
        held = np.zeros(len(learners))
        for row, i in enumerate(learners):
            met = np.flatnonzero(~np.isnan(self.times[i, :, 0]))  # the first trace fills slot 0
            held[row] = (self._memory_recall(self.activation(int(i), met, day)) >= 0.5).sum()
        return self.theta0[learners] + self.config.growth * (held / self.n_lemmas)[:, None]

    def _memory_recall(self, m: NDArray[np.float64]) -> NDArray[np.float64]:
        z = (m - self.config.tau) / self.config.s
        return 1.0 / (1.0 + np.exp(-np.clip(z, -35, 35)))

    def recall_lemmas(self, learners: NDArray[np.int64], day: float) -> NDArray[np.float64]:
        """(learners, lemmas) true recall of each lemma: memory with vocabulary ability against the
        lemma's mean difficulty."""
        lemmas = np.arange(self.n_lemmas)
        m = np.stack([self.activation(int(i), lemmas, day) for i in learners])
        z = np.maximum((m - self.config.tau) / self.config.s, -self.config.unknown)
        mean_beta = np.bincount(self.lemma, self.beta, self.n_lemmas) / np.maximum(
            np.bincount(self.lemma, minlength=self.n_lemmas), 1
        )
        z = z + self.theta0[learners, SKILLS.index("vocabulary")][:, None] - mean_beta[None, :]
        return 1.0 / (1.0 + np.exp(-np.clip(z, -35, 35)))

    def answer(self, learner: int, item: int, day: float, theta: NDArray[np.float64]) -> float:
        """P(right) of `learner`'s answer to `item` now (`theta`: the learner's current true ability per
        skill), and the trace the answer leaves on the item's lemma (right or wrong, the learner sees the
        answer). One activation serves both: the answer is judged on the memory just before it, and
        that memory sets the new trace's decay (the spacing effect). In plain floats: the bench asks
        this for every simulated answer, and numpy's per-call cost on 40 traces was most of it."""
        lemma = int(self.lemma[item])
        times, decays = self.times[learner, lemma], self.decays[learner, lemma]
        met = [(t, d) for t, d in zip(times.tolist(), decays.tolist(), strict=True) if t == t]  # not NaN
        cfg = self.config
        total = sum((max(day - t, MIN_AGE) * cfg.psych_time) ** -d for t, d in met)
        m = math.log(total) if met else -math.inf
        z = max((m - cfg.tau) / cfg.s, -cfg.unknown) + float(theta[self.skill[item]]) - float(self.beta[item])
        slot = len(met) if len(met) < MAX_TRACES else int(np.argmin(times))  # the oldest makes room
        times[slot] = day
        spacing = cfg.c * math.exp(m) if met else 0.0
        decays[slot] = min(spacing + float(self.alpha[learner]), MAX_DECAY)
        return 1.0 / (1.0 + math.exp(-min(max(z, -35.0), 35.0)))
