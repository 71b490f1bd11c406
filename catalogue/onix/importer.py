"""`import_onix`: read an ONIX file in batches, map each product and write it with
`catalogue.sync`; `ImportReport` counts what happened, `progress` follows it."""

from __future__ import annotations

import contextlib
import datetime
import os
import time
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO

from django.db import transaction
from django.utils import timezone

from catalogue import bulk_insert
from catalogue.book_data import BookData, Problem, ProductSkipped
from catalogue.bulk_insert import InsertRows
from catalogue.onix.mapping import map_product
from catalogue.onix.reader import OnixReader, check_onix
from catalogue.onix.records import ProductRecord
from catalogue.sync import BookWriter, ExistingBooks
from catalogue.version import bump_catalogue_version

BATCH_SIZE = 100
MAX_PROBLEMS_KEPT = 1000

ProgressCallback = Callable[[int, float | None], None]


@dataclass
class ImportReport:
    """What an import did: counts, and a line for each problem (the first 1,000)."""

    name: str = ""
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    hidden: int = 0
    skipped: int = 0
    problems: list[Problem] = field(default_factory=list)
    problems_not_kept: int = 0
    seconds: float = 0.0
    max_problems_kept: int = MAX_PROBLEMS_KEPT

    @property
    def products(self) -> int:
        return self.created + self.updated + self.unchanged + self.hidden + self.skipped

    @property
    def changed(self) -> bool:
        return bool(self.created or self.updated or self.hidden)

    def skip(self, problems: Iterable[Problem]) -> None:
        self.skipped += 1
        for problem in problems:
            if len(self.problems) < self.max_problems_kept:
                self.problems.append(problem)
            else:
                self.problems_not_kept += 1

    def summary(self) -> str:
        products = "product" if self.products == 1 else "products"
        return (
            f"{self.products} {products}: {self.created} created, {self.updated} updated, "
            f"{self.unchanged} unchanged, {self.hidden} hidden, {self.skipped} skipped"
        )

    def lines(self) -> list[str]:
        """The summary, then one line per problem."""
        lines = [f"{self.name}: {self.summary()}" if self.name else self.summary()]
        lines.extend(f"  {problem}" for problem in self.problems)
        if self.problems_not_kept:
            lines.append(f"  ... and {self.problems_not_kept} more problems")
        return lines

    def __str__(self) -> str:
        return "\n".join(self.lines())


def _batches(records: Iterable[ProductRecord], size: int) -> Iterator[list[ProductRecord]]:
    batch: list[ProductRecord] = []
    for record in records:
        batch.append(record)
        if len(batch) == size:
            yield batch
            batch = []
    if batch:
        yield batch


def _import_batch(
    records: list[ProductRecord], writer: BookWriter, report: ImportReport, today: datetime.date
) -> None:
    """Map a batch of products and write the ones that map; count each outcome."""
    books: list[BookData] = []
    for record in records:
        try:
            books.append(map_product(record, today=today))
        except ProductSkipped as skipped:
            report.skip(skipped.problems)
            writer.tick()
    for result in writer.write_batch(books):
        if isinstance(result, list):  # the product's problems
            report.skip(result)
        else:
            setattr(report, result, getattr(report, result) + 1)


def import_onix(
    source: str | os.PathLike[str] | IO[bytes],
    *,
    name: str = "",
    progress: ProgressCallback | None = None,
    today: datetime.date | None = None,
    batch_size: int = BATCH_SIZE,
    insert_rows: InsertRows = bulk_insert.insert_rows,
    read_existing: Callable[[Iterable[str]], ExistingBooks] | None = None,
    report: ImportReport | None = None,
) -> ImportReport:
    """Import an ONIX 3.0 file (a path or a binary file object) into the catalogue.

    The file is checked first (`check_onix`): a refused file raises OnixRefused and
    imports nothing. (A stream that cannot seek back is checked as it is read instead, so
    its refusal can come after some products were imported.) Then each product is written
    in its own transaction, a batch of them committed together; the report counts what
    happened and lists each skipped product's problems. `progress(done, fraction)` is
    called after each product (`fraction`: how much of the file has been read, when its
    size is known). `batch_size` products are committed together; `insert_rows` and
    `read_existing` are handed to the `BookWriter` (see catalogue.sync). Pass
    `report` to fill one of your own (a progress callback can then read its counts).
    """
    started = time.monotonic()
    opened = isinstance(source, (str, os.PathLike))
    if report is None:
        report = ImportReport()
    report.name = name or report.name or (Path(source).name if opened else "")
    stream: IO[bytes] = open(source, "rb") if opened else source  # noqa: SIM115
    try:
        size = _size(stream)
        if _seekable(stream):
            check_onix(stream)
            stream.seek(0)

        def tick(done: int) -> None:
            if progress is not None:
                progress(done, _fraction(stream, size))

        writer = BookWriter(tick, insert_rows=insert_rows, read_existing=read_existing)
        with _temporary_files_in_memory():
            for batch in _batches(OnixReader(stream), batch_size):
                _import_batch(batch, writer, report, today or timezone.localdate())
    finally:
        if opened:
            stream.close()
    if report.changed:
        bump_catalogue_version()
    report.seconds = time.monotonic() - started
    return report


@contextlib.contextmanager
def _temporary_files_in_memory() -> Iterator[None]:
    """On SQLite, keep the connection's temporary files in memory for the import, then put
    the setting back. A product's savepoint journals each page it changes that its batch
    had already changed, some thirty a product: in a temporary file on disk that is about
    sixty write system calls a product, most of the system time an import took. Not done
    inside a transaction someone else opened, where SQLite may refuse the change."""
    db = transaction.get_connection()
    if db.vendor != "sqlite" or db.in_atomic_block:
        yield
        return
    with db.cursor() as cursor:
        cursor.execute("PRAGMA temp_store")
        (previous,) = cursor.fetchone()
        cursor.execute("PRAGMA temp_store = MEMORY")
    try:
        yield
    finally:
        with db.cursor() as cursor:
            cursor.execute(f"PRAGMA temp_store = {int(previous)}")


def _seekable(stream: IO[bytes]) -> bool:
    try:
        return bool(stream.seekable())
    except (AttributeError, OSError, ValueError):
        return False


def _size(stream: IO[bytes]) -> int | None:
    size = getattr(stream, "size", None)  # an uploaded file
    if isinstance(size, int):
        return size
    try:
        return os.fstat(stream.fileno()).st_size
    except (AttributeError, OSError, ValueError):
        return None


def _fraction(stream: IO[bytes], size: int | None) -> float | None:
    if not size:
        return None
    try:
        return min(stream.tell() / size, 1.0)
    except (AttributeError, OSError, ValueError):
        return None
