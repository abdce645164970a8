"""A client that follows the README's sync protocol, and a network that loses requests and responses.

The protocol: answers wait in a queue in answered-at order, each with the id the client made once; the
oldest are sent in batches; on 200 every entry of the batch is settled (accepted, duplicate or rejected:
none is sent again); on 503 or 429 the same batch is sent again after Retry-After; when the request or
its response is lost the same batch is sent again (the server may have stored it: the replay answers
"duplicate"). Anything else is a bug, here an assertion.
"""

from __future__ import annotations

import asyncio
import random
from dataclasses import dataclass
from typing import Any

import httpx

RETRY_STATUSES = (429, 503)


@dataclass
class SyncStats:
    posts: int = 0
    lost: int = 0
    unavailable: int = 0
    accepted: int = 0
    duplicates: int = 0


class FlakyNetwork(httpx.AsyncBaseTransport):
    """Loses some requests before they reach the server, and some responses after the server answered."""

    def __init__(self, rng: random.Random, lose_request: float = 0.15, lose_response: float = 0.2) -> None:
        self.inner = httpx.AsyncHTTPTransport()
        self.rng, self.lose_request, self.lose_response = rng, lose_request, lose_response

    async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
        roll = self.rng.random()
        if roll < self.lose_request:
            raise httpx.ConnectError("injected: the request was lost", request=request)
        response = await self.inner.handle_async_request(request)
        if roll < self.lose_request + self.lose_response:
            await response.aread()
            await response.aclose()
            raise httpx.ReadError("injected: the response was lost", request=request)
        return response

    async def aclose(self) -> None:
        await self.inner.aclose()


async def sync(
    http: httpx.AsyncClient, auth: str, queue: list[dict[str, Any]], batch_size: int, max_wait: float = 0.05
) -> SyncStats:
    """Send ``queue`` until every answer is settled. Waits are cut to ``max_wait`` to keep tests short."""
    stats = SyncStats()
    queue = sorted(queue, key=lambda answer: answer["answered_at"])
    while queue:
        batch = queue[:batch_size]
        stats.posts += 1
        assert stats.posts < 2_000, "the client never got through"
        try:
            response = await http.post("/study/answers", json=batch, headers={"Authorization": auth})
        except httpx.TransportError:
            stats.lost += 1
            await asyncio.sleep(max_wait)
            continue
        if response.status_code in RETRY_STATUSES:
            assert response.headers["content-type"].startswith("application/problem+json")
            assert response.json()["status"] == response.status_code
            stats.unavailable += 1
            await asyncio.sleep(min(float(response.headers["retry-after"]), max_wait))
            continue
        assert response.status_code == 200, f"{response.status_code}: {response.text[:300]}"
        body = response.json()
        assert len(body["results"]) == len(batch)
        stats.accepted += body["accepted"]
        stats.duplicates += body["duplicates"]
        settled = {batch[result["index"]]["id"] for result in body["results"]}
        queue = [answer for answer in queue if answer["id"] not in settled]
    return stats
