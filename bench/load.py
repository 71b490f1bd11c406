"""The load: running wrk on one URL, parsing its output into a WrkResult (requests/s,
latency percentiles, errors), and merging several runs of one page into one result.
"""

# This module's job is to run fixed commands (wrk) with arguments it builds
# itself.
# ruff: noqa: S603

from __future__ import annotations

import argparse
import re
import statistics
import subprocess
from dataclasses import dataclass

_UNITS = {"us": 0.001, "ms": 1.0, "s": 1000.0, "m": 60_000.0, "h": 3_600_000.0}


@dataclass
class WrkResult:
    requests: int
    rps: float
    p50_ms: float
    p99_ms: float
    non_2xx_3xx: int
    socket_errors: dict[str, int]
    cpu_ms: float | None = None  # server CPU per request: workers (+ PostgreSQL backends)

    @property
    def errors(self) -> int:
        # Connect errors and timeouts are failed requests; "read" errors are mostly
        # gunicorn's sync workers closing each connection after the response.
        return (
            self.non_2xx_3xx + self.socket_errors.get("connect", 0) + self.socket_errors["timeout"]
        )


def parse_wrk(output: str) -> WrkResult:
    def latency(percent: str) -> float:
        match = re.search(rf"^\s*{percent}%\s+([\d.]+)(us|ms|s|m|h)\s*$", output, re.M)
        if not match:
            raise ValueError(f"no {percent}% latency in wrk output:\n{output}")
        return float(match.group(1)) * _UNITS[match.group(2)]

    rps = re.search(r"Requests/sec:\s+([\d.]+)", output)
    total = re.search(r"(\d+) requests in", output)
    if not rps or not total:
        raise ValueError(f"unexpected wrk output:\n{output}")
    non = re.search(r"Non-2xx or 3xx responses:\s+(\d+)", output)
    sock = re.search(
        r"Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)", output
    )
    names = ["connect", "read", "write", "timeout"]
    return WrkResult(
        requests=int(total.group(1)),
        rps=float(rps.group(1)),
        p50_ms=latency("50"),
        p99_ms=latency("99"),
        non_2xx_3xx=int(non.group(1)) if non else 0,
        socket_errors=dict(zip(names, map(int, sock.groups()), strict=True))
        if sock
        else dict.fromkeys(names, 0),
    )


def run_wrk(args: argparse.Namespace, url: str, extra: list[str], script_args: list[str]):
    cmd = [
        "wrk",
        f"-t{args.threads}",
        f"-c{args.connections}",
        f"-d{args.duration}s",
        "--latency",
        *extra,
        url,
    ]
    if script_args:
        cmd += ["--", *script_args]
    out = subprocess.run(
        cmd, capture_output=True, text=True, check=True, timeout=args.duration + 60
    )
    return parse_wrk(out.stdout)


def merge_runs(results: list[WrkResult]) -> WrkResult:
    """Several runs of one page as one: mean requests/s and p50, worst p99, all errors,
    CPU per request over all requests."""
    requests = sum(r.requests for r in results)
    cpu = [r for r in results if r.cpu_ms is not None]
    return WrkResult(
        requests=requests,
        rps=statistics.mean(r.rps for r in results),
        p50_ms=statistics.mean(r.p50_ms for r in results),
        p99_ms=max(r.p99_ms for r in results),
        non_2xx_3xx=sum(r.non_2xx_3xx for r in results),
        socket_errors={
            k: sum(r.socket_errors[k] for r in results) for k in results[0].socket_errors
        },
        cpu_ms=sum(r.cpu_ms * r.requests for r in cpu) / sum(r.requests for r in cpu)
        if cpu and requests
        else None,
    )
