"""`Launcher`: run a few processes together (the development server and a job worker under
`make run`), stop them all on Ctrl-C or when the main one ends, and say so when a helper
process dies: it is restarted, up to `max_restarts` times, and then everything stops."""

from __future__ import annotations

import signal
import subprocess
import sys
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import TextIO


@dataclass
class Process:
    name: str
    argv: Sequence[str]
    popen: subprocess.Popen | None = None
    restarts: int = 0

    def start(self) -> None:
        self.popen = subprocess.Popen(self.argv)  # noqa: S603 - our own commands

    def poll(self) -> int | None:
        return None if self.popen is None else self.popen.poll()


@dataclass
class Launcher:
    """`main` serves; when it ends, so does everything. Each of `helpers` is restarted when
    it dies, with a message on `err`."""

    main: Process
    helpers: list[Process]
    err: TextIO = field(default_factory=lambda: sys.stderr)
    max_restarts: int = 5
    poll_every: float = 0.5
    grace: float = 10.0
    sleep: Callable[[float], None] = time.sleep

    def run(self) -> int:
        processes = [self.main, *self.helpers]
        previous = _stop_on_signals()
        for process in processes:
            process.start()
        try:
            return self._watch()
        except KeyboardInterrupt:
            self._say("Stopping the server and the job worker.")
            return 0
        finally:
            self._stop_all(processes)
            for number, handler in previous.items():
                signal.signal(number, handler)

    def _watch(self) -> int:
        while True:
            status = self.main.poll()
            if status is not None:
                self._say(f"The {self.main.name} stopped (exit status {status}).")
                return status
            for helper in self.helpers:
                status = helper.poll()
                if status is None:
                    continue
                if helper.restarts >= self.max_restarts:
                    self._say(
                        f"The {helper.name} stopped (exit status {status}) and was restarted "
                        f"{helper.restarts} times already: stopping. See the errors above."
                    )
                    return status or 1
                helper.restarts += 1
                self._say(
                    f"The {helper.name} stopped (exit status {status}); see the errors above. "
                    f"Restarting it ({helper.restarts} of {self.max_restarts})."
                )
                helper.start()
            self.sleep(self.poll_every)

    def _stop_all(self, processes: list[Process]) -> None:
        running = [p.popen for p in processes if p.popen is not None and p.popen.poll() is None]
        for popen in running:
            popen.terminate()
        deadline = time.monotonic() + self.grace
        for popen in running:
            try:
                popen.wait(timeout=max(deadline - time.monotonic(), 0.1))
            except subprocess.TimeoutExpired:
                popen.kill()
                popen.wait()

    def _say(self, text: str) -> None:
        self.err.write(f"\n*** {text}\n")
        self.err.flush()


def _interrupt(number: int, frame: object) -> None:
    raise KeyboardInterrupt


def _stop_on_signals() -> dict:
    """Ctrl-C (SIGINT) and SIGTERM stop everything, even where the shell that started us
    ignores SIGINT (a background job); return the handlers to put back."""
    previous = {}
    for number in (signal.SIGINT, signal.SIGTERM):
        previous[number] = signal.signal(number, _interrupt)
    return previous
