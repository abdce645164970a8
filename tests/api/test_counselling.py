"""Counsellors see only learners who shared with them, every look is logged for the learner (and in the
export), and sharing can be taken back."""

from __future__ import annotations

import uuid

from litestar.testing import AsyncTestClient

from tests.conftest import sign_up


async def test_counsellor_sees_only_what_was_shared_and_every_look_is_logged(client: AsyncTestClient) -> None:
    counsellor, other_counsellor = (
        await sign_up(client, role="counsellor"),
        await sign_up(client, role="counsellor"),
    )
    sharer, private, teacher = (
        await sign_up(client),
        await sign_up(client),
        await sign_up(client, role="teacher"),
    )
    c, s, p = ({"Authorization": u["auth"]} for u in (counsellor, sharer, private))

    not_counsellor = await client.post(
        "/me/counsellors", json={"counsellor_email": teacher["email"]}, headers=s
    )
    assert not_counsellor.status_code == 404
    assert not_counsellor.json()["errors"][0]["field"] == "counsellor_email"
    shared = await client.post(
        "/me/counsellors", json={"counsellor_email": counsellor["email"].upper()}, headers=s
    )
    assert shared.status_code == 201, shared.text
    assert shared.json()["counsellor_id"] == counsellor["id"]

    for who in (sharer, teacher):
        r = await client.get("/counsellor/learners", headers={"Authorization": who["auth"]})
        assert r.status_code == 403
    listed = (await client.get("/counsellor/learners", headers=c)).json()["items"]
    assert [row["email"] for row in listed] == [sharer["email"]]
    assert (
        await client.get("/counsellor/learners", headers={"Authorization": other_counsellor["auth"]})
    ).json()["items"] == []

    progress = await client.get(f"/counsellor/learners/{sharer['id']}", headers=c)
    assert progress.status_code == 200, progress.text
    assert progress.json()["progress"]["readiness"]["level"] and "plan" in progress.json()["progress"]
    for hidden in (private["id"], str(uuid.uuid4())):
        assert (await client.get(f"/counsellor/learners/{hidden}", headers=c)).status_code == 404
    other = await client.get(
        f"/counsellor/learners/{sharer['id']}", headers={"Authorization": other_counsellor["auth"]}
    )
    assert other.status_code == 404

    mine = (await client.get("/me/counsellors", headers=s)).json()
    assert [x["counsellor_email"] for x in mine["shares"]] == [counsellor["email"]]
    assert [(x["counsellor_email"], x["what"]) for x in mine["accesses"]] == [
        (counsellor["email"], "list"),
        (counsellor["email"], "progress"),
    ]
    assert (await client.get("/me/counsellors", headers=p)).json() == {"shares": [], "accesses": []}
    export = (await client.get("/me/export", headers=s)).json()
    assert len(export["counsellor_access_log"]) == 2 and len(export["counsellor_shares"]) == 1

    assert (await client.delete(f"/me/counsellors/{counsellor['id']}", headers=s)).status_code == 204
    assert (await client.delete(f"/me/counsellors/{counsellor['id']}", headers=s)).status_code == 404
    assert (await client.get("/counsellor/learners", headers=c)).json()["items"] == []
    assert (await client.get(f"/counsellor/learners/{sharer['id']}", headers=c)).status_code == 404
    assert len((await client.get("/me/counsellors", headers=s)).json()["accesses"]) == 2  # no look since
