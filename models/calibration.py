"""2PL item calibration from many learners' answers: marginal maximum likelihood by EM (Bock-Aitkin).

Why marginal rather than joint ML: learners answer a sparse, self-selected subset of items, and JML's
per-learner thetas are inconsistent with few answers each. MML integrates theta out over a quadrature grid
against the population prior N(0, 1) (which also fixes the scale), so sparse logs calibrate fine. Priors
on b and on log a keep items with few or all-right answers finite. The log a prior is empirical Bayes
(centre and spread learnt from the bank by EM): max-information selection picks the items whose a came
out highest, so unshrunk a's would make every placement posterior overconfident.
"""

from __future__ import annotations

import numpy as np
from numpy.typing import ArrayLike, NDArray
from scipy import sparse
from sklearn.base import BaseEstimator
from sklearn.utils.validation import check_is_fitted

from models.ability import p_correct


class TwoPLCalibrator(BaseEstimator):
    """Fit item parameters a_, b_ from (learner, item, correct) triples; sklearn-style.

    `X` is an int array of shape (n_answers, 2): column 0 the learner index, column 1 the item index
    (both 0-based, dense); `y` is 1 for a right answer. Calibrate one skill at a time: each skill has
    its own theta scale.
    """

    def __init__(
        self,
        n_items: int | None = None,
        n_quadrature: int = 41,
        max_iter: int = 300,
        tol: float = 1e-4,
        log_a_prior_sd: float | None = None,
        b_prior_sd: float = 2.5,
    ) -> None:
        self.n_items = n_items
        self.n_quadrature = n_quadrature
        self.max_iter = max_iter
        self.tol = tol
        self.log_a_prior_sd = log_a_prior_sd
        self.b_prior_sd = b_prior_sd

    def fit(self, X: ArrayLike, y: ArrayLike) -> TwoPLCalibrator:
        learners, items, correct = self._check_xy(X, y)
        n_items = self.n_items if self.n_items is not None else int(items.max()) + 1
        n_learners = int(learners.max()) + 1
        if items.max() >= n_items:
            raise ValueError(f"item index {items.max()} out of range for n_items={n_items}")
        nodes = np.linspace(-4.0, 4.0, self.n_quadrature)
        log_prior = -0.5 * nodes**2
        # The likelihood of an answer depends only on its item and outcome, so the answers are counted
        # into (learner, item, outcome) cells once: the E-step is then a sparse product of those counts
        # with a table of 2 x n_items rows, and the M-step's expected counts sparse products of the
        # (item, learner) counts with the posteriors; no iteration touches every answer.
        ones = np.ones(len(correct))
        cells = sparse.csr_matrix((ones, (learners, 2 * items + correct)), (n_learners, 2 * n_items))
        answered = sparse.csr_matrix((ones, (items, learners)), (n_items, n_learners))
        right = sparse.csr_matrix((correct.astype(float), (items, learners)), (n_items, n_learners))
        log_a, b = np.zeros(n_items), np.zeros(n_items)
        a_sd = self.log_a_prior_sd if self.log_a_prior_sd is not None else 0.5
        self.converged_ = False
        iteration = 0
        while iteration < self.max_iter:
            iteration += 1
            post = self._e_step(cells, np.exp(log_a), b, nodes, log_prior)
            n_q, r_q = answered @ post, right @ post
            new_log_a, new_b, var_log_a = self._m_step(n_q, r_q, nodes, log_a, b, a_sd)
            change = max(np.abs(new_log_a - log_a).max(), np.abs(new_b - b).max())
            log_a, b = new_log_a, new_b
            if self.log_a_prior_sd is None:  # EM update of the spread of log a across the bank
                a_sd = max(float(np.sqrt(np.mean((log_a - log_a.mean()) ** 2 + var_log_a))), 0.05)
            if change < self.tol:
                self.converged_ = True
                break
        self.n_iter_ = iteration
        self.log_a_prior_sd_ = a_sd
        self.a_, self.b_ = np.exp(log_a), b
        post = self._e_step(cells, self.a_, self.b_, nodes, log_prior)
        self.theta_ = post @ nodes
        self.theta_se_ = np.sqrt(np.maximum(post @ nodes**2 - self.theta_**2, 0.0))
        return self

    def predict_proba(self, X: ArrayLike) -> NDArray[np.float64]:
        """P(correct) for (learner, item) pairs at the learners' EAP thetas from the fit."""
        check_is_fitted(self, ["a_", "b_", "theta_"])
        pairs = np.asarray(X, dtype=int)
        return p_correct(self.theta_[pairs[:, 0]], self.a_[pairs[:, 1]], self.b_[pairs[:, 1]])

    @staticmethod
    def _check_xy(
        X: ArrayLike, y: ArrayLike
    ) -> tuple[NDArray[np.int64], NDArray[np.int64], NDArray[np.bool_]]:
        pairs = np.asarray(X)
        correct = np.asarray(y)
        if pairs.ndim != 2 or pairs.shape[1] != 2 or len(pairs) != len(correct) or len(pairs) == 0:
            raise ValueError("X must be a non-empty (n, 2) array of [learner, item] and y of length n")
        if pairs.min() < 0:
            raise ValueError("learner and item indices must be non-negative")
        return pairs[:, 0].astype(int), pairs[:, 1].astype(int), correct.astype(bool)

    @staticmethod
    def _e_step(
        cells: sparse.csr_matrix,
        a: NDArray[np.float64],
        b: NDArray[np.float64],
        nodes: NDArray[np.float64],
        log_prior: NDArray[np.float64],
    ) -> NDArray[np.float64]:
        """Each learner's posterior over the quadrature nodes (rows sum to 1), from its answers counted
        per (item, outcome) cell: row 2i is item i answered wrong, row 2i + 1 right."""
        z = a[:, None] * (nodes[None, :] - b[:, None])
        ll = np.stack((-np.logaddexp(0.0, z), -np.logaddexp(0.0, -z)), axis=1).reshape(2 * len(a), -1)
        log_post = np.asarray(cells @ ll) + log_prior
        log_post -= log_post.max(axis=1, keepdims=True)
        post = np.exp(log_post)
        return post / post.sum(axis=1, keepdims=True)

    def _m_step(
        self,
        n_q: NDArray[np.float64],
        r_q: NDArray[np.float64],
        nodes: NDArray[np.float64],
        log_a: NDArray[np.float64],
        b: NDArray[np.float64],
        a_sd: float,
        n_scoring: int = 3,
    ) -> tuple[NDArray[np.float64], NDArray[np.float64], NDArray[np.float64]]:
        """Fisher scoring on (log a, b) for all items at once, with the expected counts held fixed;
        also returns each item's posterior variance of log a."""
        va, vb = a_sd**2, self.b_prior_sd**2
        # empirical Bayes centre for log a: shrink towards the bank's typical discrimination, not towards 1
        centre = float(np.mean(log_a))
        for _ in range(n_scoring):
            a = np.exp(log_a)
            z = a[:, None] * (nodes[None, :] - b[:, None])
            p = 1.0 / (1.0 + np.exp(-np.clip(z, -35.0, 35.0)))
            resid, w = r_q - n_q * p, n_q * p * (1.0 - p)
            g_la = (resid * z).sum(axis=1) - (log_a - centre) / va
            g_b = -(resid * a[:, None]).sum(axis=1) - b / vb
            h_aa = (w * z**2).sum(axis=1) + 1.0 / va
            h_ab = -(w * z * a[:, None]).sum(axis=1)
            h_bb = (w * a[:, None] ** 2).sum(axis=1) + 1.0 / vb
            det = h_aa * h_bb - h_ab**2
            log_a = np.clip(log_a + (h_bb * g_la - h_ab * g_b) / det, -2.5, 1.5)
            b = np.clip(b + (h_aa * g_b - h_ab * g_la) / det, -6.0, 6.0)
        return log_a, b, h_bb / det
