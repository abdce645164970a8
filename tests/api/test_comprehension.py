"""A learner through a reading text and a dialogue over HTTP (SQLite, and PostgreSQL when
KEELERADA_TEST_PG is set): a teacher assigns one question of each, the session brings every question of
both groups together and in order, each question is answered with POST /study/answers, graded by its
kind, and the dialogue's transcript opens once all its questions have answers."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

from litestar.testing import AsyncTestClient

from learning_api.settings import Settings
from tests.conftest import published_exam_lesson, sign_up


def _answer(item_id: str, response: str) -> dict[str, Any]:
    return {"id": str(uuid.uuid4()), "item_id": item_id, "answered_at": datetime.now(UTC).isoformat(),
            "response": response}  # fmt: skip


async def test_a_learner_reads_listens_and_answers_every_question_kind(
    client: AsyncTestClient, db, settings: Settings, tmp_path: Path
) -> None:  # type: ignore[no-untyped-def]
    lesson = await published_exam_lesson(db, settings, tmp_path)
    reading, dialogue = f"{lesson}-r1", f"{lesson}-d1"
    teacher, learner = await sign_up(client, role="teacher"), await sign_up(client)
    t, s = {"Authorization": teacher["auth"]}, {"Authorization": learner["auth"]}
    made = (await client.post("/classes", json={"name": "Eksamiks"}, headers=t)).json()
    await client.post("/classes/join", json={"code": made["join_code"]}, headers=s)
    exercise_set = await client.post(
        "/exercise-sets",
        json={"title": "Loe ja kuula", "item_ids": [f"{reading}-q3", f"{dialogue}-q2"]},
        headers=t,
    )
    assert exercise_set.status_code == 201, exercise_set.text
    due = (datetime.now(UTC) + timedelta(days=3)).isoformat()
    assigned = await client.post(
        f"/classes/{made['id']}/assignments",
        json={"set_id": exercise_set.json()["id"], "due_at": due},
        headers=t,
    )
    assert assigned.status_code == 201, assigned.text

    got = await client.get("/study/session", params={"size": 12, "seed": 7}, headers=s)
    assert got.status_code == 200, got.text
    items = got.json()["items"]
    ids = [item["item_id"] for item in items]
    for group, count in ((reading, 4), (dialogue, 3)):
        at = ids.index(f"{group}-q1")
        assert ids[at : at + count] == [f"{group}-q{n}" for n in range(1, count + 1)]  # together, in order
    shown = {item["item_id"]: item["exercise"] for item in items}
    first = shown[f"{reading}-q1"]
    assert first["type"] == "reading" and first["skill"] == "reading" and first["group"] == reading
    assert first["text"].startswith("Kohvik Mari otsib") and first["title"] == "Töökuulutus"
    assert (
        first["questions"] == 4 and first["question"]["kind"] == "choice" and first["question"]["number"] == 1
    )
    match = shown[f"{reading}-q3"]["question"]
    assert match["lefts"] == ["esmaspäeval", "laupäeval", "pühapäeval"]
    assert match["rights"] != ["kella kaheksast viieni", "kella kümnest kolmeni", "suletud"]  # shuffled
    heard = shown[f"{dialogue}-q2"]
    assert heard["type"] == "dialogue" and heard["skill"] == "listening" and heard["audio_url"]
    assert heard["situation"] == "Ivan helistab kohvikusse." and heard["recording"] == "synthetic"
    assert heard["question"] == {"kind": "true-false", "id": "q2", "number": 2,
                                 "statement": "Ivan on kohvikus varem töötanud."}  # fmt: skip
    assert "turns" not in heard and "Kadri kuuleb" not in got.text  # the transcript stays hidden
    assert "answers" not in got.text

    transcript = f"/study/dialogues/{dialogue}/transcript"
    early = await client.get(transcript, headers=s)
    assert early.status_code == 409 and early.json()["errors"][0]["field"] == "group"
    assert (await client.get("/study/dialogues/no-such/transcript", headers=s)).status_code == 404

    batch = [
        _answer(f"{reading}-q1", "teenindajat"),
        _answer(f"{reading}-q2", "true"),  # the text says otherwise
        _answer(f"{reading}-q3", "kella kaheksast viieni\nkella kümnest kolmeni\nsuletud"),
        _answer(f"{reading}-q4", "kadrile"),
        _answer(f"{dialogue}-q1", "ta tahab kohvi"),
        _answer(f"{dialogue}-q2", "maybe"),  # no answer to a true-false question: refused, not wrong
        _answer(f"{dialogue}-q3", "kell kümme"),
    ]
    sent = await client.post("/study/answers", json=batch, headers=s)
    assert sent.status_code == 200, sent.text
    results = sent.json()["results"]
    assert [r["status"] for r in results] == ["accepted"] * 5 + ["rejected", "accepted"]
    assert [r.get("correct") for r in results] == [True, False, True, True, False, None, True]
    assert results[1]["feedback"] == "Wrong. The right answer: False: the text says otherwise."
    assert results[1]["expected"] == "false"
    assert results[5]["field"] == "response" and results[5]["reason"] == "Answer true, false or not-given."
    assert (await client.get(transcript, headers=s)).status_code == 409  # q2 still has no answer

    again = [
        _answer(f"{reading}-q3", "suletud\nkella kümnest kolmeni\nkella kaheksast viieni"),
        _answer(f"{dialogue}-q2", "not given"),
        _answer(f"{reading}-q3", "suletud"),  # a line for each left, or no answer at all
    ]
    wrong_match, not_given, short = (await client.post("/study/answers", json=again, headers=s)).json()[
        "results"
    ]
    assert wrong_match["correct"] is False and wrong_match["feedback"].startswith("1 of 3 pairs right.")
    assert not_given["correct"] is True
    assert short["status"] == "rejected" and short["field"] == "response"

    opened = await client.get(transcript, headers=s)
    assert opened.status_code == 200, opened.text
    body = opened.json()
    assert body["group"] == dialogue and body["recording"] == "synthetic"
    assert body["turns"][0] == {"speaker": "Kadri", "text": "Tere, kohvik Mari, Kadri kuuleb."}
    assert len(body["turns"]) == 5
    other = await sign_up(client)
    assert (await client.get(transcript, headers={"Authorization": other["auth"]})).status_code == 409
