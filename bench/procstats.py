"""What load_vote.py measures with: a process's CPU, memory and sockets read from /proc, and latency summaries."""

from __future__ import annotations

import ctypes
import os
import socket

CLK_TCK = os.sysconf("SC_CLK_TCK")


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def cpu_ticks(pid: int) -> int:
    """utime+stime (+ cutime+cstime of waited-for children) of pid and of its live descendants, in clock ticks."""
    total = 0
    children: dict[int, list[int]] = {}
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            with open(f"/proc/{entry}/stat") as stat:
                fields = stat.read().rsplit(")", 1)[1].split()
        except OSError:
            continue
        children.setdefault(int(fields[1]), []).append(int(entry))
    todo = [pid]
    while todo:
        current = todo.pop()
        try:
            with open(f"/proc/{current}/stat") as stat:
                fields = stat.read().rsplit(")", 1)[1].split()
        except OSError:
            continue
        # After the ")": state ppid ... utime(11) stime(12) cutime(13) cstime(14)
        total += sum(int(fields[i]) for i in (11, 12, 13, 14))
        todo.extend(children.get(current, []))
    return total


def cpu_busy() -> dict[str, tuple[int, int]]:
    """Per-CPU (busy, total) jiffies from /proc/stat, to see whether something else ran on the benchmark's CPUs."""
    busy = {}
    with open("/proc/stat") as stat:
        for line in stat:
            if line.startswith("cpu") and line[3].isdigit():
                name, *values = line.split()
                # user nice system idle iowait irq softirq steal: count processes only (user+nice+system+steal), so the
                # kernel's network work for the server's own traffic (softirq) is not taken for another process.
                numbers = [int(v) for v in values[:8]]
                busy[name] = (numbers[0] + numbers[1] + numbers[2] + numbers[7], sum(numbers))
    return busy


def rss_kib(pid: int) -> int | None:
    try:
        with open(f"/proc/{pid}/status") as status:
            for line in status:
                if line.startswith("VmRSS:"):
                    return int(line.split()[1])
    except OSError:
        return None
    return None


def tcp_nodelay_census(pid: int, port: int) -> dict | None:
    """How many of the server's TCP sockets on `port` have TCP_NODELAY, via pidfd_getfd (Linux >= 5.6).

    Best effort: returns None where the kernel or permissions do not allow it.
    """
    try:
        libc = ctypes.CDLL(None, use_errno=True)
        pidfd = libc.syscall(434, pid, 0)  # pidfd_open
        if pidfd < 0:
            return None
    except OSError:
        return None
    census = {"listening_nodelay": None, "connections": 0, "connections_nodelay": 0}
    try:
        for name in os.listdir(f"/proc/{pid}/fd"):
            try:
                if not os.readlink(f"/proc/{pid}/fd/{name}").startswith("socket:"):
                    continue
            except OSError:
                continue
            fd = libc.syscall(438, pidfd, int(name), 0)  # pidfd_getfd
            if fd < 0:
                return None
            sock = socket.socket(fileno=fd)
            try:
                if sock.family not in (socket.AF_INET, socket.AF_INET6) or sock.type != socket.SOCK_STREAM:
                    continue
                if sock.getsockname()[1] != port:
                    continue
                nodelay = bool(sock.getsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY))
                if sock.getsockopt(socket.SOL_SOCKET, socket.SO_ACCEPTCONN):
                    census["listening_nodelay"] = nodelay
                else:
                    census["connections"] += 1
                    census["connections_nodelay"] += nodelay
            except OSError:
                continue
            finally:
                sock.close()
    finally:
        os.close(pidfd)
    return census


def percentile(values: list[float], q: float) -> float | None:
    """Linear-interpolated percentile (q in 0..100); None for no data."""
    if not values:
        return None
    ordered = sorted(values)
    if len(ordered) == 1:
        return ordered[0]
    rank = (len(ordered) - 1) * q / 100
    low = int(rank)
    high = min(low + 1, len(ordered) - 1)
    return ordered[low] + (ordered[high] - ordered[low]) * (rank - low)


def summary(values: list[float]) -> dict:
    return {
        "n": len(values),
        "p50": percentile(values, 50),
        "p95": percentile(values, 95),
        "p99": percentile(values, 99),
        "max": max(values) if values else None,
        "mean": sum(values) / len(values) if values else None,
    }


def cpu_model() -> str:
    try:
        with open("/proc/cpuinfo") as info:
            for line in info:
                if line.startswith("model name"):
                    return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return "unknown"
