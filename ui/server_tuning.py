"""Turn on TCP_NODELAY for the server's listening socket, once per process.

Streamlit 1.67 never sets it, so back-to-back messages wait on Nagle's algorithm: measured here,
about 40 ms per interaction (bench/README.md). Accepted sockets inherit the
option on Linux, so setting it on the listener covers every later connection. Found through
/proc/self/fd, which needs no private Streamlit attribute; elsewhere this does nothing.
"""

from __future__ import annotations

import os
import socket
import stat

import streamlit as st


@st.cache_resource(show_spinner=False)
def enable_tcp_nodelay() -> int:
    """Once per process: returns how many listening TCP sockets were changed."""
    return set_nodelay_on_listeners()


def set_nodelay_on_listeners() -> int:
    """Returns how many listening TCP sockets were changed."""
    changed = 0
    try:
        descriptors = os.listdir("/proc/self/fd")
    except OSError:
        return 0
    for name in descriptors:
        # Only sockets are looked at. Duplicating and closing any other descriptor would be harmful: closing
        # a descriptor of the SQLite file drops every POSIX lock this process holds on it, and another
        # process could then delete the write-ahead log under our open connections.
        try:
            if not stat.S_ISSOCK(os.fstat(int(name)).st_mode):
                continue
            duplicate = os.dup(int(name))
        except OSError:
            continue
        try:
            sock = socket.socket(fileno=duplicate)
        except OSError:
            os.close(duplicate)
            continue
        with sock:
            try:
                listening = sock.getsockopt(socket.SOL_SOCKET, socket.SO_ACCEPTCONN)
                if listening and sock.family in (socket.AF_INET, socket.AF_INET6) and sock.type == socket.SOCK_STREAM:
                    sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
                    changed += 1
            except OSError:
                continue
    return changed
