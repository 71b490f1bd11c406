"""`python manage.py import_onix FILE [FILE ...]`: load ONIX 3.0 feeds into the catalogue.

For each file it prints the summary (created, updated, unchanged, hidden, skipped) and a
line for each skipped product (record reference, field, reason). On a terminal, stderr
shows a progress line while it runs. A refused file (ONIX 2.1, not ONIX, not XML,
truncated, entity declarations, missing) is reported on stderr; the other files are still
imported, and the command then fails with a one-line message (exit status 1).
"""

import time
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from catalogue.onix import OnixRefused, import_onix


class ProgressLine:
    """ "12,345 products · 1,234/s · 40%" on one terminal line, redrawn at most five
    times a second."""

    INTERVAL = 0.2

    def __init__(self, write: Any, name: str) -> None:
        self.write = write
        self.name = name
        self.started = time.monotonic()
        self.last = float("-inf")  # the first call draws at once
        self.shown = False

    def __call__(self, done: int, fraction: float | None) -> None:
        now = time.monotonic()
        if now - self.last < self.INTERVAL:
            return
        self.last = now
        rate = done / max(now - self.started, 1e-6)
        percent = f" · {fraction:.0%}" if fraction is not None else ""
        self.write(f"\r{self.name}: {done:,} products · {rate:,.0f}/s{percent}\033[K")
        self.shown = True

    def finish(self) -> None:
        if self.shown:
            self.write("\r\033[K")


class Command(BaseCommand):
    help = (
        "Import ONIX for Books 3.0 files (reference or short tags): create or update books "
        "by ISBN, hide deleted ones, and report every product skipped and why."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("files", nargs="+", metavar="FILE", help="ONIX 3.0 XML files")

    def handle(self, *args: Any, **options: Any) -> None:
        files: list[str] = options["files"]
        refused: list[str] = []
        for path in files:
            progress = ProgressLine(self._draw, path) if self.stderr.isatty() else None
            try:
                report = import_onix(path, name=path, progress=progress)
            except FileNotFoundError:
                refused.append(f"{path}: no such file.")
            except IsADirectoryError:
                refused.append(f"{path}: a directory, not a file.")
            except PermissionError:
                refused.append(f"{path}: permission denied.")
            except OnixRefused as error:
                refused.append(f"{path}: {error}")
            else:
                for line in report.lines():
                    self.stdout.write(line)
                continue
            finally:
                if progress is not None:
                    progress.finish()
            self.stderr.write(f"{refused[-1]} Nothing was imported from it.")
        if refused:
            if len(files) == 1:
                raise CommandError(refused[0])
            raise CommandError(f"{len(refused)} of {len(files)} files refused; first: {refused[0]}")

    def _draw(self, text: str) -> None:
        """Write the progress line as it is: no newline, not in the error colour."""
        self.stderr.write(text, style_func=str, ending="")
        self.stderr.flush()
