"""Reading both review-log shapes, and the language-app columns they may carry."""

from __future__ import annotations

from pathlib import Path

import pytest

from models.features import FeatureSpec, recall_features
from models.memory import FSRS6_DEFAULT_WEIGHTS
from models.replay import History, run_fsrs
from models.reviewlog import read_review_csv


def test_anki_revlog_skips_non_reviews_and_sorts_by_time(tmp_path: Path) -> None:
    path = tmp_path / "revlog.csv"
    path.write_text(
        "id,cid,usn,ease,ivl,lastIvl,factor,time,type\n"
        "1700000100000,7,0,3,1,0,2500,4000,0\n"
        "1700000000000,7,0,1,0,0,2500,9000,0\n"
        "1700000200000,7,0,0,5,1,2500,0,4\n"
        "1700000300000,8,0,4,3,1,2500,2000,4\n"
        "1700000400000,8,0,2,3,1,2500,2500,1\n"
    )
    log = read_review_csv(path)
    assert log.grade.tolist() == [1, 3, 2]
    assert log.time.tolist() == [1_700_000_000.0, 1_700_000_100.0, 1_700_000_400.0]
    assert log.duration_ms.tolist() == [9000.0, 4000.0, 2500.0]
    assert log.item[0] == log.item[1] != log.item[2]


def test_language_app_columns_reach_the_features(tmp_path: Path) -> None:
    path = tmp_path / "app.csv"
    path.write_text(
        "learner_id,card_id,review_rating,review_time,review_duration,exercise_type,lemma,item_difficulty\n"
        "ann,kass-rec,3,2024-05-01T10:00:00+00:00,3000,recognition,kass,-0.5\n"
        "ann,kass-prod,1,2024-05-01T10:01:00+00:00,9000,production,kass,0.8\n"
        "bob,kass-rec,3,2024-05-01T11:00:00+00:00,2000,recognition,kass,-0.5\n"
        "bob,koer-prod,3,2024-05-03T11:00:00+00:00,4000,production,koer,\n"
        "ann,kass-prod,3,2024-05-03T10:00:00+00:00,5000,production,kass,0.8\n"
    )
    log = read_review_csv(path)
    history = History.from_log(log)
    spec = FeatureSpec.of(log)
    assert spec == FeatureSpec(exercise_codes=(1,), item_difficulty=True, lemma=True, learners=True)
    x = recall_features(log, history, run_fsrs(history, FSRS6_DEFAULT_WEIGHTS), spec)
    assert x.shape == (5, 9 + 1 + 2 + 1 + 1)
    production, difficulty, missing, lemma = x[:, 9], x[:, 10], x[:, 11], x[:, 12]
    assert production.tolist() == [0, 1, 0, 1, 1]
    assert difficulty.tolist() == [-0.5, 0.8, -0.5, 0.8, 0.0] and missing.tolist() == [0, 0, 0, 0, 1]
    # rows are in time order. Ann's second "kass" production answer (row 3) sees only the other kass
    # items' earlier answers: 2 right of 2, shrunk as (2 + 2·0.8) / (2 + 2) − 0.8 = 0.1; her own
    # earlier miss of this item is not counted. "koer" has no other items: no evidence, 0.
    assert lemma[3] == pytest.approx(0.1)
    assert lemma[4] == pytest.approx(0.0)
