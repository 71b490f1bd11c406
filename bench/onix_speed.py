"""How fast `import_onix` reads a large ONIX 3.0 feed, and whether its memory stays flat.

    .venv/bin/python bench/onix_speed.py                    # 10,000 products, scratch SQLite
    .venv/bin/python bench/onix_speed.py --products 50000   # memory should not grow
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/bookshop_onix_bench \\
        .venv/bin/python bench/onix_speed.py

It writes a synthetic feed (reference tags, the ONIX namespace) to a temporary file: each
product has a title and subtitle, one or two authors from a pool of 3,000 (some with a
translator), an XHTML description, two praise quotes, keywords and a BISAC main subject,
an imprint from a pool of 60, a publication date, a page count, a GBP price and an AUD
price for Australia, availability and stock. Then it imports the feed twice into the
database: the first run creates every book, the second finds them unchanged.

Without DATABASE_URL the database is a scratch SQLite file in a temporary folder, migrated
first and deleted afterwards. With DATABASE_URL the feed goes into that database (it is
migrated first); its books have ISBNs starting 979-8-99 and `--clean` removes them, with
the bench's authors, imprints and subjects, when the run ends.

Printed: products per second for each run (by the clock, and by this process's CPU time,
which other work on a shared machine does not inflate; PostgreSQL's own work is not in
it), and the process's resident memory sampled as the first import goes (at 10%, 50%, 90%
of the file) and at its peak (ru_maxrss).

Then the queued path, as an upload in admin takes it: a second feed of as many new
products is stored and queued (`onix_upload_store`, timed: what the upload's request
waits for) and a real worker process (`manage.py worker --batch`) imports it; printed are
the import's own rate (as the worker timed it) and the time from the upload to the end,
worker start-up included. `--results FILE` also writes the figures there (Markdown).
"""

import argparse
import os
import random
import resource
import shutil
import sys
import tempfile
import time
from pathlib import Path
from typing import IO

REPO = Path(__file__).resolve().parent.parent
if str(REPO) not in sys.path:
    sys.path.insert(0, str(REPO))

NAMESPACE = "http://ns.editeur.org/onix/3.0/reference"
ISBN_PREFIX = "97989"  # 979-8-99...: a range neither the demo nor bench/seed.py uses
FIRST_NAMES = "Ada Ben Clara Dev Elena Farid Greta Hamid Ines Jonah Kiri Luca Mira Noor Otto"
LAST_NAMES = "Abbott Baker Chen Dimitrov Evans Fitzgerald Garcia Haddad Ito Jensen Kowalski"
_WORD_LIST = (
    "river salt winter harbour glass orchard iron night summer garden letters island "
    "paper lantern shadow kingdom echo fever atlas compass tide ember hollow quarry"
)
WORDS = _WORD_LIST.split()
KEYWORDS = [f"{a} {b}" for a in WORDS[:12] for b in WORDS[12:]]
BISAC = ["FIC019000", "FIC022000", "BIO000000", "HIS000000", "POE000000", "POL000000"]
FORMS = ["BC", "BC", "BC", "BB", "ED", "AJ"]


def isbn13(n: int) -> str:
    first12 = f"{ISBN_PREFIX}{n:07d}"
    total = sum(int(d) * (3 if i % 2 else 1) for i, d in enumerate(first12))
    return first12 + str((10 - total % 10) % 10)


def people(rng: random.Random) -> list[tuple[str, str]]:
    """3,000 (first name, surname) pairs: the authors a feed keeps coming back to."""
    firsts, lasts = FIRST_NAMES.split(), LAST_NAMES.split()
    pool = [(first, f"{last}{i or ''}") for i in range(20) for first in firsts for last in lasts]
    rng.shuffle(pool)
    return pool[:3000]


def element(name: str, text: object) -> str:
    return f"<{name}>{text}</{name}>"


def text_content(text_type: str, text: str, source: str = "") -> str:
    return (
        f"<TextContent>{element('TextType', text_type)}{element('ContentAudience', '00')}"
        f'<Text textformat="05">{text}</Text>'
        + (element("SourceTitle", source) if source else "")
        + "</TextContent>"
    )


def price(price_type: str, amount: str, currency: str, country: str) -> str:
    return (
        f"<Price>{element('PriceType', price_type)}{element('PriceAmount', amount)}"
        f"{element('CurrencyCode', currency)}"
        f"<Territory>{element('CountriesIncluded', country)}</Territory></Price>"
    )


def product_xml(n: int, rng: random.Random, pool: list[tuple[str, str]]) -> str:
    title = " ".join(rng.choice(WORDS).capitalize() for _ in range(rng.randint(1, 4)))
    contributors = []
    for seq, (first, last) in enumerate(rng.sample(pool, rng.choice([1, 1, 1, 2])), 1):
        note = f"<p>{first} {last} writes about <em>{rng.choice(WORDS)}s</em>.</p>"
        contributors.append(
            f"<Contributor>{element('SequenceNumber', seq)}{element('ContributorRole', 'A01')}"
            f"{element('NamesBeforeKey', first)}{element('KeyNames', last)}"
            f'<BiographicalNote textformat="05">{note}</BiographicalNote></Contributor>'
        )
    if rng.random() < 0.2:
        first, last = rng.choice(pool)
        contributors.append(
            f"<Contributor>{element('SequenceNumber', 9)}{element('ContributorRole', 'B06')}"
            f"{element('PersonName', f'{first} {last}')}</Contributor>"
        )
    paragraphs = "".join(
        f"<p>{' '.join(rng.choice(WORDS) for _ in range(40))} <em>{title}</em>.</p>"
        for _ in range(3)
    )
    published = f"20{rng.randint(10, 26)}{rng.randint(1, 12):02d}{rng.randint(1, 28):02d}"
    subtitle = f"A Novel of the {rng.choice(WORDS).capitalize()}"
    return "\n".join(
        [
            "<Product>",
            element("RecordReference", f"bench.{n}"),
            element("NotificationType", "03"),
            "<ProductIdentifier>"
            + element("ProductIDType", "15")
            + element("IDValue", isbn13(n))
            + "</ProductIdentifier>",
            "<DescriptiveDetail>",
            element("ProductComposition", "00") + element("ProductForm", rng.choice(FORMS)),
            "<TitleDetail>" + element("TitleType", "01"),
            "<TitleElement>" + element("TitleElementLevel", "01"),
            element("TitleText", title) + element("Subtitle", subtitle),
            "</TitleElement></TitleDetail>",
            *contributors,
            "<Extent>"
            + element("ExtentType", "00")
            + element("ExtentValue", rng.randint(90, 900))
            + element("ExtentUnit", "03")
            + "</Extent>",
            "<Subject><MainSubject/>"
            + element("SubjectSchemeIdentifier", "10")
            + element("SubjectCode", rng.choice(BISAC))
            + "</Subject>",
            "<Subject>"
            + element("SubjectSchemeIdentifier", "20")
            + element("SubjectHeadingText", "; ".join(rng.sample(KEYWORDS, 3)))
            + "</Subject>",
            "</DescriptiveDetail>",
            "<CollateralDetail>",
            text_content("03", paragraphs),
            text_content("06", f"A {rng.choice(WORDS)} of a book.", "The Review"),
            text_content("06", f"Full of {rng.choice(WORDS)}s.", "The Weekly"),
            "</CollateralDetail>",
            "<PublishingDetail>",
            f"<Imprint>{element('ImprintName', f'Bench Imprint {rng.randint(1, 60)}')}</Imprint>",
            "<Publisher>"
            + element("PublishingRole", "01")
            + element("PublisherName", "Bench Publishing")
            + "</Publisher>",
            "<PublishingDate>"
            + element("PublishingDateRole", "01")
            + f'<Date dateformat="00">{published}</Date></PublishingDate>',
            "</PublishingDetail>",
            "<ProductSupply>",
            "<Market><Territory>" + element("CountriesIncluded", "AU NZ") + "</Territory></Market>",
            "<SupplyDetail>",
            "<Supplier>"
            + element("SupplierRole", "01")
            + element("SupplierName", "Bench Distribution")
            + "</Supplier>",
            element("ProductAvailability", "21"),
            f"<Stock>{element('OnHand', rng.randint(0, 40))}</Stock>",
            price("01", "9.99", "GBP", "GB"),
            price("02", rng.choice(["22.99", "29.99", "32.99", "39.99"]), "AUD", "AU"),
            "</SupplyDetail></ProductSupply>",
            "</Product>\n",
        ]
    )


def write_feed(out: IO[str], products: int, seed: int = 1, first: int = 1) -> None:
    rng = random.Random(seed)
    pool = people(rng)
    out.write(f'<?xml version="1.0" encoding="UTF-8"?>\n<ONIXMessage xmlns="{NAMESPACE}" ')
    out.write('release="3.0">\n<Header><Sender><SenderName>Bench</SenderName></Sender>')
    out.write("<SentDateTime>20250101</SentDateTime></Header>\n")
    for n in range(first, first + products):
        out.write(product_xml(n, rng, pool))
    out.write("</ONIXMessage>\n")


def rss_mb() -> float:
    """The process's resident memory now, in MB (Linux)."""
    with open("/proc/self/statm") as statm:
        pages = int(statm.read().split()[1])
    return pages * os.sysconf("SC_PAGE_SIZE") / 2**20


def peak_rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # KB on Linux


def setup_django(scratch: Path | None) -> None:
    os.environ["DJANGO_SETTINGS_MODULE"] = "bookshop.settings"
    os.environ.setdefault("SECRET_KEY", "onix-bench-only-not-a-real-secret")
    os.environ.pop("DEBUG", None)  # DEBUG would log every query
    if scratch is not None:
        os.environ["DATABASE_URL"] = f"sqlite:///{scratch / 'bench.sqlite3'}"
    import django
    from django.core.management import call_command

    django.setup()
    call_command("migrate", verbosity=0)


def queued_import(tmp: Path, products: int) -> dict[str, float]:
    """Store and queue a feed of `products` new books, run a worker process until the queue
    is empty, and time both."""
    import subprocess

    from django.core.files.uploadedfile import UploadedFile
    from django.db import transaction

    from catalogue.models import OnixImport
    from catalogue.onix import check_onix_start
    from catalogue.onix.jobs import onix_upload_store

    feed = tmp / "queued.xml"
    with feed.open("w", encoding="utf-8") as out:
        write_feed(out, products, seed=2, first=products + 1)
    started = time.monotonic()
    with feed.open("rb") as stream, transaction.atomic():
        upload = UploadedFile(stream, name="queued.xml", size=feed.stat().st_size)
        check_onix_start(upload)
        record = onix_upload_store(upload=upload, uploaded_by=None)
    upload_seconds = time.monotonic() - started
    worker = [sys.executable, str(REPO / "manage.py"), "worker", "--batch", "--no-reload"]
    # DEBUG off, whatever the checkout's .env says: DEBUG keeps every query in memory.
    env = {**os.environ, "DEBUG": "0"}
    subprocess.run([*worker, "--no-startup-delay", "-v0"], check=True, env=env)  # noqa: S603
    total = time.monotonic() - started
    record = OnixImport.objects.get(pk=record.pk)
    if record.status != OnixImport.Status.DONE:
        raise SystemExit(f"queued import {record.status}: {record.error}")
    seconds = (record.finished_at - record.started_at).total_seconds()
    print(
        f"queued import: {record.summary()}\n  upload stored and queued in "
        f"{upload_seconds * 1000:.0f} ms; the worker imported it in {seconds:.1f} s = "
        f"{record.products_read / seconds:,.0f} products/s; {total:.1f} s from upload to "
        "done, worker start-up included"
    )
    return {
        "upload_ms": upload_seconds * 1000,
        "rate": record.products_read / seconds,
        "total": total,
    }


def clean() -> None:
    from catalogue.models import Author, Book, Imprint, Subject

    Book.objects.filter(isbn__startswith=ISBN_PREFIX).delete()
    Author.objects.filter(contributions__isnull=True).delete()
    Imprint.objects.filter(name__startswith="Bench Imprint", books__isnull=True).delete()
    Subject.objects.filter(books__isnull=True).delete()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--products", type=int, default=10_000)
    parser.add_argument("--clean", action="store_true", help="delete the bench's rows after")
    parser.add_argument("--results", type=Path, help="also write the figures to this file")
    options = parser.parse_args()

    tmp = Path(tempfile.mkdtemp(prefix="onix-bench-"))
    scratch = None if os.environ.get("DATABASE_URL") else tmp
    try:
        feed = tmp / "feed.xml"
        started = time.monotonic()
        with feed.open("w", encoding="utf-8") as out:
            write_feed(out, options.products)
        size = feed.stat().st_size / 2**20
        print(
            f"feed: {options.products:,} products, {size:.1f} MB, "
            f"written in {time.monotonic() - started:.1f} s"
        )

        os.environ.setdefault("ONIX_UPLOAD_ROOT", str(tmp / "onix-uploads"))
        setup_django(scratch)
        from django.db import connection

        from catalogue.onix import import_onix

        print(f"database: {connection.vendor} {connection.settings_dict['NAME']}")
        samples: dict[int, float] = {}

        def progress(done: int, fraction: float | None) -> None:
            for mark in (10, 50, 90):
                if fraction is not None and fraction * 100 >= mark and mark not in samples:
                    samples[mark] = rss_mb()

        before = rss_mb()
        rates = {}
        for run in ("first import", "second import"):
            cpu = time.process_time()
            report = import_onix(feed, progress=progress if run == "first import" else None)
            cpu = time.process_time() - cpu
            rates[run] = report.products / report.seconds
            print(
                f"{run}: {report.summary()}\n  {report.seconds:.1f} s = "
                f"{report.products / report.seconds:,.0f} products/s "
                f"(this process's CPU time {cpu:.1f} s = {report.products / cpu:,.0f}/s)"
            )
        print(
            f"memory: {before:.0f} MB before; during the first import "
            + ", ".join(f"{mark}%: {mb:.0f} MB" for mark, mb in sorted(samples.items()))
            + f"; peak {peak_rss_mb():.0f} MB"
        )
        queued = queued_import(tmp, options.products)
        if options.results:
            write_results(options.results, connection.vendor, options.products, size, rates, queued)
        if options.clean and scratch is None:
            clean()
    finally:
        shutil.rmtree(tmp, ignore_errors=True)


def write_results(
    path: Path, vendor: str, products: int, size: float, rates: dict, queued: dict
) -> None:
    import datetime
    import platform

    lines = [
        f"# ONIX import speed, {datetime.date.today():%-d %B %Y}",
        "",
        f"`bench/onix_speed.py --products {products}` on {vendor}, Python "
        f"{platform.python_version()}, {os.cpu_count()} CPUs; a {size:.1f} MB feed.",
        "",
        "| path | products/s |",
        "| --- | ---: |",
        f"| direct, first import (creates every book) | {rates['first import']:,.0f} |",
        f"| direct, second import (nothing changes) | {rates['second import']:,.0f} |",
        f"| queued: a worker process imports an upload | {queued['rate']:,.0f} |",
        "",
        f"The upload was stored and queued in {queued['upload_ms']:.0f} ms (what the admin "
        f"request waits for); {queued['total']:.1f} s from upload to done, the worker's "
        "start-up included.",
        "",
    ]
    path.write_text("\n".join(lines), encoding="utf-8")
    print(f"wrote {path}")


if __name__ == "__main__":
    main()
