"""The ceiling for the HTTP stack: a Litestar hello-world served exactly as the API is (same server,
same worker count, same client), so the API's /health can be read as a share of it."""

from __future__ import annotations

import argparse

from litestar import Litestar, get


@get("/health", sync_to_thread=False)
def health() -> dict[str, str]:
    return {"status": "ok"}


def create_app() -> Litestar:
    return Litestar(route_handlers=[health])


if __name__ == "__main__":
    from scripts import serving

    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--port", type=int, required=True)
    parser.add_argument("--workers", type=int, default=1)
    parser.add_argument("--stock", action="store_true", help="stock uvicorn HTTP (no TCP_NODELAY fix)")
    args = parser.parse_args()
    serving.run(
        "scripts.load.hello:create_app",
        host="127.0.0.1",
        port=args.port,
        workers=args.workers,
        access_log=False,
        stock=args.stock,
    )
