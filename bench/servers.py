"""The server side of a run: gunicorn (start, wait for it, stop by its pid), its workers'
memory (RSS) and the CPU time of the workers and of PostgreSQL's server processes read from
/proc, a free port, and the one-command Redis client that empties the cache.
"""

# This module's job is to run fixed commands (gunicorn, ps) with arguments it builds
# itself.
# ruff: noqa: S603, S607

from __future__ import annotations

import contextlib
import os
import signal
import socket
import subprocess
import time
import urllib.parse
from pathlib import Path

from bench.common import GUNICORN, HOST, REPO
from bench.pages import Visitor


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind((HOST, 0))
        return sock.getsockname()[1]


def redis_command(url: str, *args: str) -> str:
    """Send one command to the Redis database named by `url` (redis://host:port/db) and
    return its reply line."""
    parts = urllib.parse.urlsplit(url)
    host, port = parts.hostname or HOST, parts.port or 6379
    if host not in {HOST, "localhost"}:
        raise SystemExit(f"Refusing to touch Redis at {host}: the benchmark stays on {HOST}.")
    db = parts.path.lstrip("/") or "0"

    def encode(*words: str) -> bytes:
        out = [f"*{len(words)}\r\n".encode()]
        for word in words:
            data = word.encode()
            out.append(b"$%d\r\n%s\r\n" % (len(data), data))
        return b"".join(out)

    with socket.create_connection((host, port), timeout=10) as sock:
        sock.sendall(encode("SELECT", db) + encode(*args))
        buffer = b""
        while buffer.count(b"\r\n") < 2:
            chunk = sock.recv(4096)
            if not chunk:
                break
            buffer += chunk
    replies = buffer.decode(errors="replace").split("\r\n")
    for reply in replies[:2]:
        if reply.startswith("-"):
            raise RuntimeError(f"Redis {' '.join(args)}: {reply[1:]}")
    return replies[1] if len(replies) > 1 else ""


# --- CPU time ---------------------------------------------------------------------------

CLOCK_TICKS = os.sysconf("SC_CLK_TCK")


def process_cpu_seconds(pid: int) -> float | None:
    """User plus system CPU time of a process, from /proc (Linux)."""
    try:
        stat = Path(f"/proc/{pid}/stat").read_text()
    except OSError:
        return None
    fields = stat.rsplit(")", 1)[1].split()  # after "pid (comm)"; utime, stime are 14, 15
    return (int(fields[11]) + int(fields[12])) / CLOCK_TICKS


def database_backend_pids(database_url: str) -> list[int]:
    """PostgreSQL server processes serving `database_url`'s database, found by their
    process titles ("postgres: user dbname 127.0.0.1(port) idle", or with the server's
    cluster_name first, as Debian's packages set it: "postgres: 15/main: user dbname ...")."""
    parts = urllib.parse.urlsplit(database_url)
    if parts.scheme not in {"postgres", "postgresql", "pgsql"}:
        return []
    name = urllib.parse.unquote(parts.path.lstrip("/"))
    pids = []
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            title = (entry / "cmdline").read_bytes().replace(b"\0", b" ").decode(errors="replace")
        except OSError:
            continue
        words = title.split()
        if len(words) >= 2 and words[0] == "postgres:" and words[1].endswith(":"):
            del words[1]  # the cluster name
        if len(words) >= 3 and words[0] == "postgres:" and words[2] == name:
            pids.append(int(entry.name))
    return pids


def cpu_used(before: dict[int, float], after: dict[int, float]) -> float:
    """CPU seconds between two samples; a process that started in between counts from 0
    (one that exited in between is lost: rare within one run)."""
    return sum(cpu - before.get(pid, 0.0) for pid, cpu in after.items())


# --- gunicorn -------------------------------------------------------------------------


class Server:
    """gunicorn serving bench.settings; stopped with SIGTERM (then SIGKILL) by its pid."""

    def __init__(self, env: dict, workers: int, logfile: Path):
        self.env = env
        self.workers = workers
        self.logfile = logfile
        self.port = free_port()
        self.proc: subprocess.Popen | None = None

    def start(self) -> None:
        cmd = [
            str(GUNICORN),
            "bookshop.wsgi",
            "--workers",
            str(self.workers),
            "--bind",
            f"{HOST}:{self.port}",
            "--timeout",
            "120",
            "--graceful-timeout",
            "10",
        ]
        with self.logfile.open("w") as out:
            # A session of its own: Ctrl-C reaches this script, which then stops gunicorn
            # in order instead of leaving workers behind mid-request.
            self.proc = subprocess.Popen(
                cmd, cwd=REPO, env=self.env, stdout=out, stderr=out, start_new_session=True
            )
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            if self.proc.poll() is not None:
                raise RuntimeError(f"gunicorn exited ({self.proc.returncode}):\n{self.log_tail()}")
            try:
                if Visitor(self.port).request("GET", "/bench/ceiling/").status == 200:
                    return
            except OSError:
                pass
            time.sleep(0.2)
        raise RuntimeError(f"gunicorn did not answer within 60 s:\n{self.log_tail()}")

    def worker_pids(self) -> list[int]:
        if self.proc is None:
            return []
        out = subprocess.run(
            ["ps", "-o", "pid=", "--ppid", str(self.proc.pid)],
            capture_output=True,
            text=True,
            check=False,
        ).stdout
        return [int(pid) for pid in out.split()]

    def worker_rss_mb(self) -> list[float]:
        pids = self.worker_pids()
        if not pids:
            return []
        out = subprocess.run(
            ["ps", "-o", "rss=", "-p", ",".join(map(str, pids))],
            capture_output=True,
            text=True,
            check=False,
        ).stdout
        return [int(kb) / 1024 for kb in out.split()]

    def cpu_seconds(self) -> dict[int, float]:
        """CPU time so far of each worker and, on PostgreSQL, of each server process
        connected to the benchmark database (SQLite works inside the workers)."""
        pids = self.worker_pids() + database_backend_pids(self.env["DATABASE_URL"])
        return {pid: cpu for pid in pids if (cpu := process_cpu_seconds(pid)) is not None}

    def stop(self) -> None:
        if self.proc is None or self.proc.poll() is not None:
            return
        workers = self.worker_pids()
        self.proc.send_signal(signal.SIGTERM)
        try:
            self.proc.wait(timeout=20)
        except subprocess.TimeoutExpired:
            for pid in [self.proc.pid, *workers]:
                with contextlib.suppress(ProcessLookupError):
                    os.kill(pid, signal.SIGKILL)
            self.proc.wait(timeout=10)

    def log_tail(self, lines: int = 30) -> str:
        try:
            return "\n".join(self.logfile.read_text().splitlines()[-lines:])
        except OSError:
            return ""
