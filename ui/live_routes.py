"""The server's own routes beside Streamlit's."""

from __future__ import annotations

import contextlib

from starlette.responses import PlainTextResponse
from starlette.routing import Route


async def _health(request):
    return PlainTextResponse("ok")


def routes() -> list:
    return [Route("/live/health", _health)]


@contextlib.asynccontextmanager
async def lifespan(app):
    yield
