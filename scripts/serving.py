"""Run an ASGI app under uvicorn with one or more worker processes, without the keep-alive stall.

With ``workers > 1`` uvicorn binds the listening socket itself as ``socket.socket(family)``, whose
protocol number is 0; asyncio only sets TCP_NODELAY on accepted sockets whose protocol is IPPROTO_TCP,
so every keep-alive response written in two pieces (headers, body) waits for the client's delayed ACK
(≈ 40 ms). ``NoDelayHTTP`` sets TCP_NODELAY on each accepted connection itself, whatever the socket.
The load harness (`scripts/load/`) measures workers=1 against workers=2 to prove it.
"""

from __future__ import annotations

import asyncio
import os
import socket

import uvicorn
from uvicorn.protocols.http.auto import AutoHTTPProtocol


class NoDelayHTTP(AutoHTTPProtocol):  # type: ignore[misc,valid-type]
    def connection_made(self, transport: asyncio.Transport) -> None:  # type: ignore[override]
        sock = transport.get_extra_info("socket")
        if sock is not None and sock.family in (socket.AF_INET, socket.AF_INET6):
            sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
        super().connection_made(transport)


def run(
    app: str,
    *,
    host: str,
    port: int,
    workers: int = 1,
    access_log: bool = True,
    factory: bool = True,
    no_delay: bool = True,
) -> None:
    """Serve the app named by ``app`` ("module:attribute"; a factory by default): each worker process
    imports and builds its own app, so nothing heavy is made in the supervisor. ``no_delay=False`` is
    stock uvicorn, kept for the load harness to show the stall it avoids."""
    # Worker threads (anyio's pool for grading and object-store reads) each get a glibc malloc arena;
    # a few arenas instead of 8 per core keep a warm worker's memory from creeping up by fragmentation.
    # Read when a process starts: it reaches the spawned workers, and can be overridden from outside.
    os.environ.setdefault("MALLOC_ARENA_MAX", "2")
    uvicorn.run(
        app,
        factory=factory,
        host=host,
        port=port,
        workers=workers,
        http=NoDelayHTTP if no_delay else "auto",
        access_log=access_log,
        # X-Forwarded-For is the app's to judge (KEELERADA_TRUSTED_PROXIES), not uvicorn's, which would
        # trust 127.0.0.1 (or FORWARDED_ALLOW_IPS) on its own.
        proxy_headers=False,
    )
