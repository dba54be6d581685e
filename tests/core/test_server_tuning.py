"""The socket tuning must leave the database alone: it once closed duplicates of every descriptor, the
SQLite file's included, which dropped this process's locks and let another process delete the live
write-ahead log (the server then wrote to a deleted file and nobody else saw its changes)."""

from __future__ import annotations

import socket
import subprocess
import sys

import pytest

from ui.server_tuning import set_nodelay_on_listeners

READ_COUNT = "import sqlite3, sys; c = sqlite3.connect(sys.argv[1]); print(c.execute('SELECT count(*) FROM workshops').fetchall()[0][0]); c.close()"


def count_in_another_process(path) -> int:
    return int(subprocess.run([sys.executable, "-c", READ_COUNT, str(path)], capture_output=True, text=True, check=True).stdout)


@pytest.mark.sqlite_only  # SQLite's write-ahead log beside the file
def test_tuning_the_sockets_keeps_the_database_shared_with_other_processes(store, db_path):
    _, key = store.create_workshop("Before", "Acme IT")
    with socket.create_server(("127.0.0.1", 0)) as listener:
        assert set_nodelay_on_listeners() >= 1
        assert listener.getsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY)
    assert count_in_another_process(db_path) == 1  # that process's last connection closes: it must not remove our log
    assert db_path.with_name(db_path.name + "-wal").exists()
    store.create_workshop("After", "Acme IT", creator_key=key)
    assert count_in_another_process(db_path) == 2
