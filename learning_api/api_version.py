"""The API's contract version, sent on every response as ``API-Version``.

A header rather than a path prefix: the routes stay as they are, and an app can log or assert the version
it talks to. The number changes only with a breaking change of the contract (a field removed or changing
meaning); additions keep it. ``__version__`` (the software release) is separate and moves more often.
"""

from __future__ import annotations

from litestar.datastructures import MutableScopeHeaders, ResponseHeader
from litestar.types import Message, Scope

API_VERSION = "1"
HEADER = "API-Version"

DOCUMENTED_HEADER = ResponseHeader(
    name=HEADER,
    value=API_VERSION,
    description="The API contract version; it changes only with a breaking change.",
    documentation_only=True,  # sent by the hook below, on errors too
)


async def add_api_version(message: Message, scope: Scope) -> None:
    """``before_send`` hook: it sees every response start, including problem responses and 404s."""
    if message["type"] == "http.response.start":
        MutableScopeHeaders.from_message(message)[HEADER] = API_VERSION
