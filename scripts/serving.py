"""Run an ASGI app under uvicorn with one or more worker processes, without the keep-alive stall and
with connections spread over the workers.

With ``workers > 1`` stock uvicorn binds one listening socket as ``socket.socket(family)`` and hands it to
every worker. Two faults follow:

- its protocol number is 0, and asyncio only sets TCP_NODELAY on accepted sockets whose protocol is
  IPPROTO_TCP, so every keep-alive response written in two pieces (headers, body) waits for the client's
  delayed ACK (≈ 40 ms). ``NoDelayHTTP`` sets TCP_NODELAY on each accepted connection itself.
- all workers wait on one accept queue, and asyncio accepts every connection waiting when its loop wakes,
  so the worker that wakes first takes a whole burst: 16 clients connecting at once mostly ended up on
  one worker while the other idled. ``ReusePortAddress`` gives each worker a listening socket of its own
  on the same address (SO_REUSEPORT): the kernel spreads new connections over them by a hash of the
  client's address and port.

The load harness (`scripts/load/`) measures workers=1 against workers=2 to prove it.
"""

from __future__ import annotations

import asyncio
import os
import socket

import uvicorn
from uvicorn.protocols.http.auto import AutoHTTPProtocol
from uvicorn.supervisors import Multiprocess


class NoDelayHTTP(AutoHTTPProtocol):  # type: ignore[misc,valid-type]
    def connection_made(self, transport: asyncio.Transport) -> None:  # type: ignore[override]
        sock = transport.get_extra_info("socket")
        if sock is not None and sock.family in (socket.AF_INET, socket.AF_INET6):
            sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
        super().connection_made(transport)


class ReusePortAddress(socket.socket):
    """The supervisor's hold on the address (bound with SO_REUSEPORT, never listening, so the kernel
    gives it no connections). uvicorn pickles the supervisor's sockets into each spawned worker; this one
    arrives there as a new socket bound to the same address, which the worker's server listens on."""

    def __reduce__(self):  # type: ignore[no-untyped-def]
        return (reuse_port_socket, (self.family, self.getsockname()[:2]))


def reuse_port_socket(family: socket.AddressFamily, address: tuple[str, int]) -> ReusePortAddress:
    sock = ReusePortAddress(family, socket.SOCK_STREAM)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEPORT, 1)
    sock.bind(address)
    return sock


def claim_address(family: socket.AddressFamily, address: tuple[str, int]) -> ReusePortAddress:
    """The supervisor's hold on the address, refused (OSError) when a server already listens there, as
    stock uvicorn is: SO_REUSEPORT alone would let a second server share the port with the first. The
    probe sets only SO_REUSEADDR, so connections of a stopped server in TIME_WAIT do not count."""
    with socket.socket(family, socket.SOCK_STREAM) as probe:
        probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        probe.bind(address)
    return reuse_port_socket(family, address)


def run(
    app: str,
    *,
    host: str,
    port: int,
    workers: int = 1,
    access_log: bool = True,
    factory: bool = True,
    stock: bool = False,
) -> None:
    """Serve the app named by ``app`` ("module:attribute"; a factory by default): each worker process
    imports and builds its own app, so nothing heavy is made in the supervisor. ``stock=True`` is stock
    uvicorn (one shared socket, no TCP_NODELAY), kept for the load harness to show what this avoids."""
    # Worker threads (anyio's pool for grading and object-store reads) each get a glibc malloc arena;
    # a few arenas instead of 8 per core keep a warm worker's memory from creeping up by fragmentation.
    # Read when a process starts: it reaches the spawned workers, and can be overridden from outside.
    os.environ.setdefault("MALLOC_ARENA_MAX", "2")
    options = {
        "factory": factory,
        "host": host,
        "port": port,
        "workers": workers,
        "http": "auto" if stock else NoDelayHTTP,
        "access_log": access_log,
        # X-Forwarded-For is the app's to judge (KEELERADA_TRUSTED_PROXIES), not uvicorn's, which would
        # trust 127.0.0.1 (or FORWARDED_ALLOW_IPS) on its own.
        "proxy_headers": False,
    }
    if stock or workers == 1 or not hasattr(socket, "SO_REUSEPORT"):
        uvicorn.run(app, **options)  # type: ignore[arg-type]
        return
    config = uvicorn.Config(app, **options)  # type: ignore[arg-type]
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    Multiprocess(config, sockets=[claim_address(family, (host, port))]).run()
