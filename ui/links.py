"""Addresses that the room needs: the join link for phones and the projector link."""

from __future__ import annotations

from urllib.parse import urlencode, urlsplit

import streamlit as st

from abc_workshop.config import public_url

LOCAL_HOSTS = {"localhost", "127.0.0.1", "::1", "0.0.0.0"}


def base_url() -> str:
    """ABC_PUBLIC_URL if set, else the scheme and host this browser used to reach the app."""
    configured = public_url()
    if configured:
        return configured
    seen = urlsplit(st.context.url or "http://localhost:8501")
    return f"{seen.scheme}://{seen.netloc}"


def is_local_only(url: str) -> bool:
    """True when phones in the room could not open this address."""
    return (urlsplit(url).hostname or "") in LOCAL_HOSTS


def page_url(path: str, **params: str) -> str:
    query = f"?{urlencode(params)}" if params else ""
    return f"{base_url()}/{path}{query}"


def join_url(join_code: str) -> str:
    return page_url("vote", w=join_code)


def projector_url(join_code: str) -> str:
    return page_url("projector", w=join_code)
