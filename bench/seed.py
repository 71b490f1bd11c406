"""Fill the database named by DATABASE_URL with a synthetic catalogue for benchmarking.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/bookshop_bench \\
        .venv/bin/python bench/seed.py --books 100000

N books, about N/5 authors (a few prolific, most with a book or two), ~30 imprints, 25
subjects (1-3 per book), praise quotes for ~30% of books, ~20% translated, ~10% with two
authors, ~5% hidden, ~3% pre-orders, ~8% out of stock, ~1% without a price. Titles come from
the word lists in bench/corpus.py through random.Random(--seed), so the same arguments give
the same catalogue (publication dates count from today). ISBNs are valid 979-1 ISBN-13s
numbered from 1.

By default (--reset) every catalogue table, and every table that refers to one (basket
lines), is emptied first. Rows go in with bulk_create, so no signals fire; the catalogue
version is bumped once at the end and PostgreSQL's statistics are refreshed with ANALYZE.
"""

import argparse
import datetime
import os
import random
import sys
import time
from collections.abc import Iterator
from decimal import Decimal
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
if str(REPO) not in sys.path:
    sys.path.insert(0, str(REPO))

from bench import corpus  # noqa: E402 - needs the repository on sys.path first

BATCH = 5000
DESCRIPTION_POOL = 2000
ISBN_PREFIX = "9791"  # 979-1x: a range the demo catalogue (978) never uses
PRICES = [Decimal(p) for p in ("16.99", "19.99", "22.99", "24.99", "29.99", "32.99", "34.99")]
PRICES += [Decimal(p) for p in ("39.99", "44.99", "49.99", "59.99", "69.99", "89.99")]
PRICE_WEIGHTS = [6, 14, 12, 16, 16, 8, 10, 8, 4, 3, 2, 1, 1]
FORMATS = ["paperback", "hardback", "ebook", "audiobook", "other"]
FORMAT_WEIGHTS = [60, 20, 12, 6, 2]


def setup_django() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "bench.settings")
    # A benchmark database needs no real signing key; the shop refuses to start without one.
    os.environ.setdefault("SECRET_KEY", "bench-seed-only")
    import django

    django.setup()


def parse_args(argv: list[str] | None = None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--books", type=int, default=10_000, help="how many books (10000)")
    parser.add_argument("--seed", type=int, default=2024, help="random seed (2024)")
    parser.add_argument(
        "--reset",
        action=argparse.BooleanOptionalAction,
        default=True,
        help="empty the catalogue tables first (default: on)",
    )
    args = parser.parse_args(argv)
    if args.books < 1:
        parser.error("--books must be at least 1")
    return args


def isbn_for(number: int) -> str:
    from catalogue.isbn import isbn13_check_digit

    first12 = f"{ISBN_PREFIX}{number:08d}"
    return first12 + isbn13_check_digit(first12)


def chunks(total: int, size: int) -> Iterator[range]:
    for start in range(0, total, size):
        yield range(start, min(start + size, total))


# --- Emptying ---------------------------------------------------------------------------


def tables_to_empty() -> list[str]:
    """The catalogue's tables and every table with a foreign key into them (basket lines,
    later order lines), dependents first."""
    from django.apps import apps

    catalogue_models = set(apps.get_app_config("catalogue").get_models(include_auto_created=True))
    ordered: list = []
    pending = set(catalogue_models)
    all_models = apps.get_models(include_auto_created=True)
    # Add models that point at anything already chosen, until nothing new turns up.
    changed = True
    while changed:
        changed = False
        for model in all_models:
            if model in pending:
                continue
            if any(
                f.is_relation and f.concrete and f.related_model in pending
                for f in model._meta.get_fields()
            ):
                pending.add(model)
                changed = True
    # Order: a model goes after every model that refers to it.
    while pending:
        for model in sorted(pending, key=lambda m: m._meta.label):
            referrers = {
                other
                for other in pending
                if other is not model
                and any(
                    f.is_relation and f.concrete and f.related_model is model
                    for f in other._meta.get_fields()
                )
            }
            if not referrers:
                ordered.append(model)
                pending.discard(model)
                break
        else:
            raise RuntimeError(f"circular references between {sorted(map(str, pending))}")
    return [m._meta.db_table for m in ordered]


def empty_catalogue() -> None:
    from django.db import connection

    tables = tables_to_empty()
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            names = ", ".join(connection.ops.quote_name(t) for t in tables)
            cursor.execute(f"TRUNCATE TABLE {names} RESTART IDENTITY CASCADE")
        else:
            for table in tables:
                cursor.execute(f"DELETE FROM {connection.ops.quote_name(table)}")  # noqa: S608
            # Number the new rows from 1 again, as TRUNCATE ... RESTART IDENTITY does.
            cursor.execute(
                "SELECT name FROM sqlite_master WHERE type = 'table' AND name = 'sqlite_sequence'"
            )
            if cursor.fetchone():
                marks = ", ".join(["%s"] * len(tables))
                cursor.execute(f"DELETE FROM sqlite_sequence WHERE name IN ({marks})", tables)  # noqa: S608


# --- Generating -------------------------------------------------------------------------


class Catalogue:
    """Makes rows from one random stream, in a fixed order."""

    def __init__(self, *, books: int, seed: int, today: datetime.date):
        self.rng = random.Random(seed)
        self.books = books
        self.today = today
        self.subject_weights = [weight for _, weight in corpus.SUBJECTS]
        self.descriptions: list[str] = []

    def title(self) -> str:
        rng = self.rng
        # The commonest words are the first ones: favour them, as real titles do.
        adj = corpus.ADJECTIVES[min(int(rng.expovariate(1 / 8)), len(corpus.ADJECTIVES) - 1)]
        noun = corpus.NOUNS[min(int(rng.expovariate(1 / 10)), len(corpus.NOUNS) - 1)]
        noun2 = rng.choice(corpus.NOUNS)
        place = rng.choice(corpus.PLACES)
        pattern = rng.choices(
            [
                "The {adj} {noun}",
                "{adj} {noun}",
                "The {noun} of {place}",
                "A {noun} in {place}",
                "The {noun} and the {noun2}",
                "{noun} of {noun2}s",
                "The {adj} {noun} of {place}",
                "{noun}",
                "After the {noun}",
                "Letters from {place}",
            ],
            weights=[20, 10, 10, 6, 8, 6, 6, 3, 5, 2],
        )[0]
        return pattern.format(adj=adj, noun=noun, noun2=noun2, place=place)

    def subtitle(self) -> str:
        if self.rng.random() >= 0.25:
            return ""
        pattern = self.rng.choice(corpus.SUBTITLE_PATTERNS)
        return pattern.format(place=self.rng.choice(corpus.PLACES), noun=self.word().title())

    def word(self) -> str:
        return self.rng.choice(corpus.NOUNS).lower()

    def description(self, format_label: str) -> str:
        """One of a pool of blurbs (writing 100,000 fresh ones would take longer than
        loading them), with this book's format."""
        if not self.descriptions:
            self.descriptions = [self._blurb() for _ in range(DESCRIPTION_POOL)]
        blurb = self.rng.choice(self.descriptions)
        return blurb.replace("{format_l}", format_label.lower())

    def _blurb(self) -> str:
        rng = self.rng
        paragraphs = []
        for _ in range(rng.randint(1, 3)):
            sentences = rng.sample(corpus.DESCRIPTION_SENTENCES, rng.randint(2, 4))
            paragraphs.append(
                " ".join(
                    s.format(
                        place=rng.choice(corpus.PLACES),
                        noun_l=self.word(),
                        noun2_l=self.word(),
                        noun=rng.choice(corpus.NOUNS),
                        adj=rng.choice(corpus.ADJECTIVES),
                        adj_l=rng.choice(corpus.ADJECTIVES).lower(),
                        first=rng.choice(corpus.FIRST_NAMES),
                        format_l="{format_l}",
                    )
                    for s in sentences
                )
            )
        return "\n\n".join(paragraphs)

    def published(self) -> datetime.date:
        rng = self.rng
        if rng.random() < 0.03:  # pre-order: out within the next six months
            return self.today + datetime.timedelta(days=rng.randint(1, 180))
        # Most books are recent; the backlist reaches back about forty years.
        days = min(int(rng.expovariate(1 / 2000)), 15_000)
        return self.today - datetime.timedelta(days=days)

    def author_index(self, count: int) -> int:
        """A few authors write many books, most write one or two."""
        return min(int(count * self.rng.random() ** 1.6), count - 1)


def make_imprints(cat: Catalogue):
    from django.utils.text import slugify

    from catalogue.models import Imprint

    return Imprint.objects.bulk_create(
        [Imprint(name=name, slug=slugify(name), publisher=pub) for name, pub in corpus.IMPRINTS]
    )


def make_subjects(cat: Catalogue):
    from django.utils.text import slugify

    from catalogue.models import Subject

    return Subject.objects.bulk_create(
        [Subject(name=name, slug=slugify(name)) for name, _ in corpus.SUBJECTS]
    )


def make_authors(cat: Catalogue, count: int) -> dict:
    """The authors, as {id: Author}."""
    from django.utils.text import slugify

    from catalogue.models import Author

    rng = cat.rng
    seen: dict[str, int] = {}
    made: dict = {}
    for part in chunks(count, BATCH):
        rows = []
        for _ in part:
            first = rng.choice(corpus.FIRST_NAMES)
            last = rng.choice(corpus.SURNAMES)
            if rng.random() < 0.3:
                first = f"{first} {rng.choice('ABCDEFGHJKLMNPRSTW')}."
            name = f"{first} {last}"
            slug = slugify(name)
            seen[slug] = seen.get(slug, 0) + 1
            if seen[slug] > 1:  # two writers of the same name: as in any big shop
                slug = f"{slug}-{seen[slug]}"
            biography = ""
            if rng.random() < 0.6:
                biography = " ".join(
                    s.format(
                        name=name,
                        place=rng.choice(corpus.PLACES),
                        place2=rng.choice(corpus.PLACES),
                    )
                    for s in rng.sample(corpus.BIOGRAPHY_SENTENCES, rng.randint(2, 4))
                )
            rows.append(
                Author(name=name, sort_name=f"{last}, {first}", slug=slug, biography=biography)
            )
        made.update((a.pk, a) for a in Author.objects.bulk_create(rows, batch_size=BATCH))
    return made


def plan_contributors(cat: Catalogue, writers: list[int], translators: list[int]) -> list:
    """(author id, role, position) for one book: an author, sometimes a second author, a
    translator, an editor or the writer of an introduction or foreword."""
    rng = cat.rng
    first = writers[cat.author_index(len(writers))]
    plan = [(first, "author", 0)]
    if rng.random() < 0.10:
        second = rng.choice(writers)
        if second != first:
            plan.append((second, "author", 1))
    if rng.random() < 0.20:
        plan.append((rng.choice(translators), "translator", 2))
    if rng.random() < 0.03:
        plan.append((rng.choice(writers), rng.choice(["editor", "introduction", "foreword"]), 3))
    return plan


def with_contributions(book, contributions: list) -> None:
    """Give an unsaved book (with its id) its contributions as if prefetched, so that the
    shop's own Book.build_search_text can run before the book is inserted."""
    from catalogue.models import Contribution

    queryset = Contribution.objects.all()
    queryset._result_cache = contributions
    queryset._prefetch_done = True
    book._prefetched_objects_cache = {"contributions": queryset}


def make_books(cat: Catalogue, *, imprints: list, subjects: list, authors: dict) -> dict[str, int]:
    from django.db.models import Max
    from django.utils.text import slugify
    from djmoney.money import Money

    from catalogue.models import Book, BookFormat, Contribution, Review

    rng = cat.rng
    through = Book.subjects.through
    format_labels = dict(BookFormat.choices)
    has_search_text = any(f.name == "search_text" for f in Book._meta.concrete_fields)
    author_ids = list(authors)
    # The last tenth of the authors mostly translate; the rest mostly write.
    writers = author_ids[: max(1, len(author_ids) * 9 // 10)]
    translators = author_ids[len(writers) :] or author_ids
    counts = {"books": 0, "contributions": 0, "subject links": 0, "reviews": 0}
    # Ids are given, not left to the database, so that contributions exist before their
    # book is inserted (see with_contributions); the sequence is reset afterwards.
    first_id = (Book.objects.aggregate(n=Max("id"))["n"] or 0) + 1

    for part in chunks(cat.books, BATCH):
        books, all_contributions = [], []
        for number in part:
            fmt = rng.choices(FORMATS, weights=FORMAT_WEIGHTS)[0]
            title = cat.title()
            subtitle = cat.subtitle()
            has_price = rng.random() >= 0.01
            stock = 0 if rng.random() < 0.08 else rng.randint(1, 60)
            plan = plan_contributors(cat, writers, translators)
            book = Book(
                id=first_id + number,
                title=title,
                subtitle=subtitle,
                slug=slugify(title)[:300] or "book",
                isbn=isbn_for(number + 1),
                published=cat.published(),
                imprint=rng.choice(imprints),
                format=fmt,
                pages=None if fmt == "audiobook" else rng.randint(96, 880),
                rrp=Money(rng.choices(PRICES, weights=PRICE_WEIGHTS)[0], "AUD")
                if has_price
                else None,
                description=cat.description(format_labels[fmt]),
                stock=stock,
                is_visible=rng.random() >= 0.05,
            )
            contributions = [
                Contribution(book=book, author=authors[author_id], role=role, position=position)
                for author_id, role, position in plan
            ]
            if has_search_text:
                with_contributions(book, contributions)
                book.search_text = book.build_search_text()
            books.append(book)
            all_contributions.extend(contributions)
        books = Book.objects.bulk_create(books, batch_size=BATCH)

        links, reviews = [], []
        for book in books:
            chosen = set()
            for _ in range(rng.choices([1, 2, 3], weights=[45, 40, 15])[0]):
                chosen.add(rng.choices(subjects, weights=cat.subject_weights)[0].pk)
            links.extend(through(book_id=book.pk, subject_id=pk) for pk in sorted(chosen))
            if rng.random() < 0.30:
                for position in range(rng.randint(1, 3)):
                    reviews.append(
                        Review(
                            book_id=book.pk,
                            quote=rng.choice(corpus.PRAISE_QUOTES),
                            source=rng.choice(corpus.PRAISE_SOURCES),
                            position=position,
                        )
                    )
        Contribution.objects.bulk_create(all_contributions, batch_size=BATCH)
        through.objects.bulk_create(links, batch_size=BATCH)
        Review.objects.bulk_create(reviews, batch_size=BATCH)
        counts["books"] += len(books)
        counts["contributions"] += len(all_contributions)
        counts["subject links"] += len(links)
        counts["reviews"] += len(reviews)
    return counts


def reset_sequences() -> None:
    """After inserting books with given ids: the next id the database hands out follows
    them (PostgreSQL's sequence; SQLite's AUTOINCREMENT keeps up by itself)."""
    from django.core.management.color import no_style
    from django.db import connection

    from catalogue.models import Book

    with connection.cursor() as cursor:
        for sql in connection.ops.sequence_reset_sql(no_style(), [Book]):
            cursor.execute(sql)


def check_search_text(sample: int = 200) -> None:
    """Compare a sample of the search_text written here with the shop's rule read back
    from the database. make_books calls Book.build_search_text itself, so they differ only
    if the rule comes to read something more than the book and its contributors; then the
    search text is recomputed the shop's way (slowly)."""
    from catalogue.models import Book

    if not hasattr(Book.objects.none(), "refresh_search_text"):
        return
    books = Book.objects.with_contributors().order_by("pk")[:sample]
    if all(book.build_search_text() == book.search_text for book in books):
        return
    print("search_text differs from Book.build_search_text: recomputing it for every book.")
    Book.objects.all().refresh_search_text()


def seed(*, books: int, seed_value: int = 2024, reset: bool = True) -> dict[str, int]:
    from django.db import connection, transaction
    from django.utils import timezone

    from catalogue.models import Book
    from catalogue.version import bump_catalogue_version

    cat = Catalogue(books=books, seed=seed_value, today=timezone.localdate())
    with transaction.atomic():
        if reset:
            empty_catalogue()
        elif Book.objects.exists():
            raise SystemExit("The catalogue is not empty: run with --reset (the default).")
        imprints = make_imprints(cat)
        subjects = make_subjects(cat)
        authors = make_authors(cat, max(1, books // 5))
        counts = make_books(cat, imprints=imprints, subjects=subjects, authors=authors)
        reset_sequences()
        check_search_text()
    counts = {"imprints": len(imprints), "authors": len(authors), **counts}
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")
    bump_catalogue_version()
    return counts


def main(argv: list[str] | None = None) -> None:
    args = parse_args(argv)
    if not os.environ.get("DATABASE_URL"):
        raise SystemExit(
            "Set DATABASE_URL to the benchmark database (it is emptied first), e.g.\n"
            "  DATABASE_URL=sqlite:///bench/.data/bench.sqlite3 "
            ".venv/bin/python bench/seed.py --books 10000"
        )
    setup_django()
    from django.db import connection

    started = time.perf_counter()
    counts = seed(books=args.books, seed_value=args.seed, reset=args.reset)
    elapsed = time.perf_counter() - started
    summary = ", ".join(f"{value:,} {name}" for name, value in counts.items())
    print(f"Seeded {connection.vendor} in {elapsed:.1f} s: {summary}.")


if __name__ == "__main__":
    main()
