"""Database helpers for bench/run, which calls them in a subprocess per database (Django's
settings are fixed once per process). Each command prints one JSON object.

    probe.py ensure-db           create DATABASE_URL's PostgreSQL database if it is missing
    probe.py prepare             choose the URLs and books to benchmark (see `prepare`)
    probe.py line-quantity ID    copies of book ID in all baskets, to count accepted adds
"""

import argparse
import json
import math
import os
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
if str(REPO) not in sys.path:
    sys.path.insert(0, str(REPO))

BOOKS_PER_PAGE = 24  # shop.views.BOOKS_PER_PAGE
SEARCH_WORDS = ["night", "river", "house", "city", "silent", "lost"]
# The add-to-basket benchmark adds one copy per request to one book: give it stock enough
# that every add is accepted (as a bestseller's would be) instead of refused at the limit.
POST_BOOK_STOCK = 1_000_000_000


def setup_django() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "bench.settings")
    os.environ.setdefault("SECRET_KEY", "bench-probe-only")
    import django

    django.setup()


def ensure_db() -> dict:
    """CREATE DATABASE for a PostgreSQL DATABASE_URL when it does not exist yet."""
    from urllib.parse import unquote, urlsplit

    import psycopg
    from psycopg import sql

    parts = urlsplit(os.environ["DATABASE_URL"])
    if parts.scheme not in {"postgres", "postgresql", "pgsql"}:
        return {"created": False}
    name = unquote(parts.path.lstrip("/"))
    params = {
        "host": parts.hostname or "127.0.0.1",
        "port": parts.port or 5432,
        "user": unquote(parts.username or "postgres"),
        "password": unquote(parts.password or ""),
        "dbname": "postgres",
        "autocommit": True,
    }
    with psycopg.connect(**params) as conn:
        exists = conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name]).fetchone()
        if not exists:
            conn.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))
    return {"created": not exists, "database": name}


def prepare() -> dict:
    """What bench/run requests: the listing's last page, a search word that matches many
    titles, a book page (a visible book with praise by an author with other books), that
    author's page, three books for a basket, and a book for the add-to-basket run."""
    from django.db.models import Count, Exists, OuterRef, Q
    from django.utils import timezone

    from catalogue.models import Author, Book, Contribution, Review

    visible = Book.objects.visible().count()
    if visible == 0:
        raise SystemExit("The catalogue is empty: seed it first (bench/seed.py).")
    search = max(
        ((w, Book.objects.visible().filter(title__icontains=w).count()) for w in SEARCH_WORDS),
        key=lambda pair: pair[1],
    )

    books_with_praise = Book.objects.visible().filter(
        Exists(Review.objects.filter(book=OuterRef("pk")))
    )
    # The busiest author whose books fill one page (the heaviest single author page) and
    # who has a book with praise (the fullest book page). Candidates are checked one by
    # one: SQLite plans the same test as one query very slowly.
    candidates = (
        Author.objects.annotate(
            n=Count(
                "contributions",
                filter=Q(
                    contributions__role=Contribution.Role.AUTHOR,
                    contributions__book__is_visible=True,
                ),
            )
        )
        .filter(n__gte=3, n__lte=BOOKS_PER_PAGE)
        .order_by("-n", "pk")
    )
    author = book = None
    for candidate in candidates[:50]:
        own_books = Contribution.objects.filter(
            book=OuterRef("pk"), author=candidate, role=Contribution.Role.AUTHOR
        )
        book = (
            books_with_praise.filter(Exists(own_books))
            .annotate(praise=Count("reviews"))
            .order_by("-praise", "-published", "pk")
            .first()
        )
        if book is not None:
            author = candidate
            break
    if book is None:  # a tiny catalogue: any visible book will do
        book = books_with_praise.first() or Book.objects.visible().order_by("pk").first()
        author = book.authors[0] if book.authors else Author.objects.order_by("pk").first()

    today = timezone.localdate()
    buyable = (
        Book.objects.visible()
        .filter(rrp__isnull=False, published__lte=today, stock__gte=5)
        .exclude(pk=book.pk)
        .order_by("pk")
    )
    basket_books = list(buyable.values_list("pk", flat=True)[:3])
    post_book = buyable.exclude(pk__in=basket_books).first()
    Book.objects.filter(pk=post_book.pk).update(stock=POST_BOOK_STOCK)  # no signal, no bump
    # The checkout's delivery methods, as the demo has them (Standard, Express, Collect).
    from shop.demo import load_delivery_methods
    from shop.models import DeliveryMethod

    load_delivery_methods()

    return {
        "vendor": _vendor(),
        "books": Book.objects.count(),
        "visible": visible,
        "last_page": max(1, math.ceil(visible / BOOKS_PER_PAGE)),
        "search_word": search[0],
        "search_matches": search[1],
        "book_url": book.get_absolute_url(),
        "book_reviews": book.reviews.count(),
        "author_url": author.get_absolute_url(),
        "author_books": Contribution.objects.filter(author=author, book__is_visible=True).count(),
        "basket_books": basket_books,
        "basket_book_url": Book.objects.get(pk=basket_books[0]).get_absolute_url(),
        "post_book": post_book.pk,
        "post_book_url": post_book.get_absolute_url(),
        "delivery_method": DeliveryMethod.objects.get(name="Standard").pk,
    }


def line_quantity(book_id: int) -> dict:
    """Copies of the book in baskets, in stock, and sold (for the add and order checks)."""
    from django.db.models import Sum

    from catalogue.models import Book
    from shop.models import BasketLine, OrderLine

    total = BasketLine.objects.filter(book_id=book_id).aggregate(n=Sum("quantity"))["n"]
    sold = OrderLine.objects.filter(book_id=book_id).aggregate(n=Sum("quantity"))["n"]
    return {
        "quantity": total or 0,
        "stock": Book.objects.get(pk=book_id).stock,
        "sold": sold or 0,
    }


def _vendor() -> str:
    from django.db import connection

    return connection.vendor


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description="Database helpers for bench/run.")
    commands = parser.add_subparsers(dest="command", required=True)
    commands.add_parser("ensure-db")
    commands.add_parser("prepare")
    quantity = commands.add_parser("line-quantity")
    quantity.add_argument("book", type=int)
    args = parser.parse_args(argv)
    if not os.environ.get("DATABASE_URL"):
        raise SystemExit("Set DATABASE_URL to the benchmark database.")
    if args.command == "ensure-db":
        result = ensure_db()
    else:
        setup_django()
        result = prepare() if args.command == "prepare" else line_quantity(args.book)
    print(json.dumps(result))


if __name__ == "__main__":
    main()
