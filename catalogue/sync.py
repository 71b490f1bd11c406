"""The one write path for a book and its credits, praise and subjects: given `BookData`,
`BookWriter` works out each book's writes (only the values that differ, so an unchanged
book costs no statement) and writes a batch of them, all together or, should the
database refuse something, a book to a savepoint."""

from __future__ import annotations

import functools
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Any

from django.db import DatabaseError, models, transaction
from django.db.models import Q
from djmoney.money import Money

from catalogue.book_data import (
    BookData,
    ContributorData,
    NamedData,
    Problem,
    ProductSkipped,
    slug_for,
)
from catalogue.bulk_insert import InsertRows, create_books, insert_rows
from catalogue.models import Author, Book, Contribution, Imprint, Review, Subject
from catalogue.search import search_text

LOOKUP_CACHE_LIMIT = 50_000


CREATED, UPDATED, UNCHANGED, HIDDEN = "created", "updated", "unchanged", "hidden"

_Write = Callable[[], object]  # one statement (or a few) of a product's writes


@dataclass(frozen=True)
class _Create:
    """A write that INSERTs a new book."""

    book: Book


@dataclass(frozen=True)
class _Rows:
    """A write that INSERTs new rows belonging to a book (its key goes first); a batch
    written together gathers these, table by table, into a few multi-row statements."""

    model: type[models.Model]
    book: Book
    fields: tuple[str, ...]
    rows: list[tuple[Any, ...]]

    def keyed_rows(self) -> list[tuple[Any, ...]]:
        return [(self.book.pk, *row) for row in self.rows]


def _assign(obj: Any, values: dict[str, Any]) -> bool:
    """Set the attributes that differ from `values`; True if any did."""
    changed = False
    for name, value in values.items():
        if getattr(obj, name) != value:
            setattr(obj, name, value)
            changed = True
    return changed


@dataclass
class _AuthorRef:
    pk: int
    name: str
    has_biography: bool


class _Lookups:
    """Authors, imprints and subjects by slug, cached for the run.

    `prepare` makes sure every one a batch of products needs exists before the products
    are written: it reads the ones the cache lacks with one query per model and creates
    the rest with one bulk insert (ignoring a row someone else created meanwhile). These
    are shared reference rows, so they are not part of any product's transaction: one
    created for a product that the database then refuses stays, with no books.
    """

    def __init__(self, *, put_back: bool = False) -> None:
        self.authors: dict[str, _AuthorRef] = {}
        self.imprints: dict[str, int] = {}
        self.subjects: dict[str, int] = {}
        self.put_back = put_back

    def prepare(self, books: list[BookData]) -> None:
        if len(self.authors) + len(self.imprints) + len(self.subjects) > LOOKUP_CACHE_LIMIT:
            self.clear()
        authors: dict[str, ContributorData] = {}
        imprints: dict[str, NamedData] = {}
        subjects: dict[str, NamedData] = {}
        for book in books:
            if book.descriptive:
                for contributor in book.descriptive.contributors:
                    authors.setdefault(contributor.slug, contributor)
                for subject in book.descriptive.subjects:
                    subjects.setdefault(subject.slug, subject)
            if book.publishing and book.publishing.imprint:
                imprints.setdefault(book.publishing.imprint.slug, book.publishing.imprint)
        self.prepare_rows(authors, imprints, subjects)

    def prepare_rows(
        self,
        authors: dict[str, ContributorData],
        imprints: dict[str, NamedData],
        subjects: dict[str, NamedData],
    ) -> None:
        """Make sure these authors, imprints and subjects (by slug) exist; when putting
        back, also correct the ones that differ from what is given."""
        self._prepare_authors(authors)
        self._prepare_named(Imprint, self.imprints, imprints)
        self._prepare_named(Subject, self.subjects, subjects)
        if self.put_back:
            _put_back(Author, authors, ("name", "sort_name", "biography"))
            _put_back(Imprint, imprints, ("name", "publisher"))
            _put_back(Subject, subjects, ("name",))
            for slug, contributor in authors.items():
                self.authors[slug] = _AuthorRef(
                    self.authors[slug].pk, contributor.name, bool(contributor.biography)
                )

    def clear(self) -> None:
        self.authors.clear()
        self.imprints.clear()
        self.subjects.clear()

    def _prepare_authors(self, wanted: dict[str, ContributorData]) -> None:
        def fetch(slugs: Iterable[str]) -> None:
            rows = Author.objects.filter(slug__in=list(slugs)).values_list(
                "pk", "slug", "name", "biography"
            )
            for pk, slug, name, biography in rows:
                self.authors[slug] = _AuthorRef(pk, name, bool(biography))

        missing = wanted.keys() - self.authors.keys()
        if missing:
            fetch(missing)
            new = [wanted[slug] for slug in sorted(missing - self.authors.keys())]
            if new:
                Author.objects.bulk_create(
                    [
                        Author(
                            name=c.name, sort_name=c.sort_name, slug=c.slug, biography=c.biography
                        )
                        for c in new
                    ],
                    ignore_conflicts=True,
                )
                fetch(c.slug for c in new)
        for slug, contributor in wanted.items():
            ref = self.authors.get(slug)
            if ref is not None and not ref.has_biography and contributor.note[0]:
                biography = contributor.biography
                if biography:
                    Author.objects.filter(pk=ref.pk, biography="").update(biography=biography)
                    ref.has_biography = True

    @staticmethod
    def _prepare_named(
        model: type[Imprint] | type[Subject], cache: dict[str, int], wanted: dict[str, NamedData]
    ) -> None:
        """Imprints and subjects match an existing row by slug, or by name (staff may have
        given it another slug)."""
        kind = model._meta.model_name
        max_length = model._meta.get_field("slug").max_length

        def fetch(items: list[NamedData]) -> None:
            query = Q(slug__in=[i.slug for i in items]) | Q(name__in=[i.name for i in items])
            for pk, slug, name in model.objects.filter(query).values_list("pk", "slug", "name"):
                cache[slug] = pk
                cache.setdefault(slug_for(name, kind, max_length), pk)

        missing = [item for slug, item in wanted.items() if slug not in cache]
        if missing:
            fetch(missing)
            new = [item for item in missing if item.slug not in cache]
            if new:
                rows = [model(name=i.name, slug=i.slug) for i in new]
                if model is Imprint:
                    for row, item in zip(rows, new, strict=True):
                        row.publisher = item.publisher
                model.objects.bulk_create(rows, ignore_conflicts=True)
                fetch(new)

    def author(self, data: ContributorData) -> _AuthorRef:
        return self._get(self.authors, data.slug, "author", data.name)

    def imprint(self, data: NamedData) -> int:
        return self._get(self.imprints, data.slug, "imprint", data.name)

    def subject(self, data: NamedData) -> int:
        return self._get(self.subjects, data.slug, "subject", data.name)

    @staticmethod
    def _get(cache: dict[str, Any], slug: str, kind: str, name: str) -> Any:
        try:
            return cache[slug]
        except KeyError:
            raise ValueError(f"the {kind} {name!r} could not be found or created") from None


def _put_back(model: type[Any], wanted: dict[str, Any], names: tuple[str, ...]) -> None:
    """Correct the rows, matched by slug, whose `names` differ from `wanted`'s."""
    if not wanted:
        return
    for row in model.objects.filter(slug__in=list(wanted)):
        if _assign(row, {name: getattr(wanted[row.slug], name) for name in names}):
            row.save(update_fields=list(names))


@dataclass
class ExistingBooks:
    """The books of a batch that the shop already has, with their contributions, praise
    and subjects as plain tuples: four queries for the whole batch."""

    books: dict[str, Book] = field(default_factory=dict)
    contributions: dict[int, list[tuple[int, int, str, int]]] = field(default_factory=dict)
    reviews: dict[int, list[tuple[int, str, int, str, str]]] = field(default_factory=dict)
    subjects: dict[int, set[int]] = field(default_factory=dict)

    @classmethod
    def load(cls, isbns: Iterable[str]) -> ExistingBooks:
        existing = cls(books={book.isbn: book for book in Book.objects.filter(isbn__in=isbns)})
        ids = [book.pk for book in existing.books.values()]
        if not ids:
            return existing
        for pk, book_id, author_id, role, position in Contribution.objects.filter(
            book_id__in=ids
        ).values_list("pk", "book_id", "author_id", "role", "position"):
            existing.contributions.setdefault(book_id, []).append((pk, author_id, role, position))
        for pk, book_id, source, position, quote, url in Review.objects.filter(
            book_id__in=ids
        ).values_list("pk", "book_id", "source", "position", "quote", "url"):
            existing.reviews.setdefault(book_id, []).append((pk, source, position, quote, url))
        link = Book.subjects.through
        for book_id, subject_id in link.objects.filter(book_id__in=ids).values_list(
            "book_id", "subject_id"
        ):
            existing.subjects.setdefault(book_id, set()).add(subject_id)
        return existing

    def reload(self, isbn: str) -> None:
        """Read one book again (after this run wrote it)."""
        fresh = ExistingBooks.load([isbn])
        self.books.pop(isbn, None)
        self.books.update(fresh.books)
        for book in fresh.books.values():
            self.contributions[book.pk] = fresh.contributions.get(book.pk, [])
            self.reviews[book.pk] = fresh.reviews.get(book.pk, [])
            self.subjects[book.pk] = fresh.subjects.get(book.pk, set())


class BookWriter:
    """Writes batches of `BookData` for one run (an import, the demo catalogue), keeping
    the authors, imprints and subjects it has looked up. `progress(done)` is called after
    each book; `tick` counts one the caller skipped itself."""

    def __init__(
        self,
        progress: Callable[[int], None] | None = None,
        *,
        insert_rows: InsertRows = insert_rows,
        read_existing: Callable[[Iterable[str]], ExistingBooks] | None = None,
        put_back: bool = False,
    ) -> None:
        """`insert_rows` runs the INSERTs of new books and their rows (catalogue.bulk_insert's
        by default); `read_existing` reads the books of a batch the shop already has.

        `put_back`: the sender is the authority on its books (the demo catalogue), so a
        book it sends is made visible again, gets its slug back, its praise loses links
        staff added, and its authors, imprint and subjects are corrected to what is sent.
        Without it (a feed) staff's hiding, slugs, links and biographies stand."""
        self.put_back = put_back
        self.lookups = _Lookups(put_back=put_back)
        self.progress = progress
        self.done = 0
        self.insert_rows = insert_rows
        self.read_existing = read_existing or ExistingBooks.load

    def write_batch(self, books: list[BookData]) -> list[str | list[Problem]]:
        """Write a batch, each book in effect its own transaction: its outcome (CREATED,
        UPDATED, UNCHANGED, HIDDEN) or the problems that kept it out, in order."""
        self.lookups.prepare([b for b in books if not b.hide])
        started = self.done
        results: list[str | list[Problem]] | None = None
        if len({b.isbn for b in books}) == len(books):  # else the savepoint path rereads
            try:
                with transaction.atomic():
                    results = self.write_together(books)
            except (DatabaseError, ValueError):
                # Some product's write was refused: nothing of the batch was written. It
                # is written again, a product to a savepoint, to find which.
                self.done = started
                results = None
        if results is None:
            try:
                with transaction.atomic():
                    results = self.write(books)
                    if transaction.get_rollback():  # a savepoint could not be rolled back
                        raise DatabaseError("the batch's transaction is broken")
            except DatabaseError:
                # Each product's own errors are caught in its savepoint, so this is the
                # commit: a constraint checked only then (foreign keys are deferred on both
                # databases). Nothing of the batch was written; write it again with a
                # commit per product, so that only the product at fault is lost.
                self.done = started
                results = self.write(books)
        return results

    def write_together(self, books: list[BookData]) -> list[str | list[Problem]]:
        """Write the whole batch at once, with no savepoints: the changes to books the
        shop has, one after another, then every new book in a few multi-row INSERTs, and
        their credits, subjects and praise likewise, table by table. Any refusal by the
        database raises (and rolls the batch back); a product `plan` refuses (it writes
        nothing) is reported and left out."""
        existing = self.read_existing({b.isbn for b in books})
        results: list[str | list[Problem]] = []
        new_books: list[Book] = []
        new_rows: dict[tuple[type[models.Model], tuple[str, ...]], list[_Rows]] = {}
        changes: list[_Write] = []
        for data in books:
            try:
                outcome, writes = self.plan(data, existing)
            except ProductSkipped as skipped:
                results.append(skipped.problems)
                continue
            except ValueError as error:
                results.append([_refused(data, error)])
                continue
            for write in writes:
                if isinstance(write, _Create):
                    new_books.append(write.book)
                elif isinstance(write, _Rows):
                    new_rows.setdefault((write.model, write.fields), []).append(write)
                else:
                    changes.append(write)
            results.append(outcome)
        for change in changes:
            change()
        if new_books:
            create_books(new_books, insert=self.insert_rows)
        for (model, fields), groups in new_rows.items():
            rows = [row for group in groups for row in group.keyed_rows()]
            self.insert_rows(model, ("book", *fields), rows)
        for _ in results:
            self.tick()
        return results

    def write(self, books: list[BookData]) -> list[str | list[Problem]]:
        """Write each product in its own transaction (a savepoint when the batch's
        transaction is open): its outcome, or why the database refused it, in which case
        it is rolled back and the others carry on."""
        existing = self.read_existing({b.isbn for b in books})
        results: list[str | list[Problem]] = []
        seen: set[str] = set()
        for data in books:
            if data.isbn in seen:  # the feed sends this ISBN twice: read what we wrote
                existing.reload(data.isbn)
            seen.add(data.isbn)
            try:
                outcome = self.apply(data, existing)
            except ProductSkipped as skipped:
                results.append(skipped.problems)
            except (DatabaseError, ValueError) as error:
                results.append([_refused(data, error)])
            else:
                results.append(outcome)
            self.tick()
        return results

    def tick(self) -> None:
        self.done += 1
        if self.progress is not None:
            self.progress(self.done)

    def apply(self, data: BookData, existing: ExistingBooks) -> str:
        """Write one product, if it changes anything, in its own transaction (a savepoint
        when the batch's transaction is open). Returns the outcome."""
        outcome, writes = self.plan(data, existing)
        if writes:
            with transaction.atomic():
                for write in writes:
                    self._run(write)
        return outcome

    def _run(self, write: _Write | _Create | _Rows) -> None:
        if isinstance(write, _Create):
            create_books([write.book], insert=self.insert_rows)
        elif isinstance(write, _Rows):
            self.insert_rows(write.model, ("book", *write.fields), write.keyed_rows())
        else:
            write()

    def plan(self, data: BookData, existing: ExistingBooks) -> tuple[str, list[_Write]]:
        """A product's outcome and the writes it takes, in order: none when the shop has
        the book as the feed describes it, so an unchanged product costs no statement.
        Writes nothing itself."""
        book = existing.books.get(data.isbn)
        if data.hide:
            if book is None or not book.is_visible:
                return UNCHANGED, []
            book.is_visible = False
            return HIDDEN, [
                functools.partial(book.save, update_fields=["is_visible", "updated_at"])
            ]
        created = book is None
        if book is None:
            if data.descriptive is None or not data.descriptive.title:
                reason = "the shop does not have this book, and a new one needs a title"
                raise ProductSkipped([Problem(data.reference, "DescriptiveDetail", reason)])
            book = Book(isbn=data.isbn, is_visible=True)
        changed = _assign(book, self._book_values(data, book, created))
        writes: list[_Write] = []
        if created:
            writes.append(_Create(book))
        elif changed:
            writes.append(book.save)
        if data.descriptive is not None:
            writes += self._sync_contributions(
                book, data.descriptive.contributors, existing.contributions.get(book.pk, [])
            )
            writes += self._sync_subjects(
                book, data.descriptive.subjects, existing.subjects.get(book.pk, set())
            )
        if data.collateral is not None:
            writes += self._sync_reviews(
                book, data.collateral.praise, existing.reviews.get(book.pk, [])
            )
        if created:
            return CREATED, writes
        return (UPDATED if writes else UNCHANGED), writes

    def _book_values(self, data: BookData, book: Book, created: bool) -> dict[str, Any]:
        values: dict[str, Any] = {}
        if self.put_back:
            values["is_visible"] = True
        if data.descriptive is not None:
            d = data.descriptive
            values.update(
                title=d.title,
                subtitle=d.subtitle,
                format=d.format,
                product_form=d.product_form,
                pages=d.pages,
            )
            if created or self.put_back or d.title != book.title:
                values["slug"] = slug_for(d.title, "book", 300)
            names = [self.lookups.author(c).name for c in d.contributors]
            values["search_text"] = search_text(d.title, d.subtitle, names, data.isbn)
        if data.collateral is not None:
            values["description"] = data.collateral.description
        if data.publishing is not None:
            imprint = data.publishing.imprint
            values["imprint_id"] = self.lookups.imprint(imprint) if imprint else None
            values["published"] = data.publishing.published
        if data.supply is not None:
            rrp = data.supply.rrp
            values["rrp"] = Money(rrp, "AUD") if rrp is not None else None
            if data.supply.stock is not None:
                values["stock"] = data.supply.stock
        return values

    def _sync_contributions(
        self,
        book: Book,
        wanted: tuple[ContributorData, ...],
        current_rows: list[tuple[int, int, str, int]],
    ) -> list[_Write]:
        """Contributions matched by (author, role); `wanted` is in page order."""
        current = {
            (author_id, role): (pk, position) for pk, author_id, role, position in current_rows
        }
        writes: list[_Write] = []
        new: list[tuple[int, str, int]] = []
        for position, contributor in enumerate(wanted):
            author_id = self.lookups.author(contributor).pk
            found = current.pop((author_id, contributor.role), None)
            if found is None:
                new.append((author_id, contributor.role, position))
            elif found[1] != position:
                moved = Contribution.objects.filter(pk=found[0])
                writes.append(functools.partial(moved.update, position=position))
        if current:
            gone = Contribution.objects.filter(pk__in=[pk for pk, _ in current.values()])
            writes.append(gone.delete)
        if new:
            writes.append(_Rows(Contribution, book, ("author", "role", "position"), new))
        return writes

    def _sync_subjects(
        self, book: Book, wanted: tuple[NamedData, ...], current: set[int]
    ) -> list[_Write]:
        wanted_ids = {self.lookups.subject(subject) for subject in wanted}
        link = Book.subjects.through
        writes: list[_Write] = []
        if current - wanted_ids:
            gone = link.objects.filter(book_id=book.pk, subject_id__in=current - wanted_ids)
            writes.append(gone.delete)
        if wanted_ids - current:
            new = [(pk,) for pk in sorted(wanted_ids - current)]
            writes.append(_Rows(link, book, ("subject",), new))
        return writes

    def _sync_reviews(
        self,
        book: Book,
        praise: tuple[tuple[str, str], ...],
        current_rows: list[tuple[int, str, int, str, str]],
    ) -> list[_Write]:
        """Quotes matched by (source, position); a duplicate of either is removed. Putting
        back also clears a link staff gave a quote."""
        current: dict[tuple[str, int], tuple[int, str, str]] = {}
        stale: list[int] = []
        for pk, source, position, quote, url in current_rows:
            if (source, position) in current:
                stale.append(pk)
            else:
                current[(source, position)] = (pk, quote, url)
        writes: list[_Write] = []
        new: list[tuple[str, str, str, int]] = []
        for position, (quote, source) in enumerate(praise):
            found = current.pop((source, position), None)
            if found is None:
                new.append((quote, source, "", position))
            elif self.put_back and (found[1], found[2]) != (quote, ""):
                edited = Review.objects.filter(pk=found[0])
                writes.append(functools.partial(edited.update, quote=quote, url=""))
            elif found[1] != quote:
                edited = Review.objects.filter(pk=found[0])
                writes.append(functools.partial(edited.update, quote=quote))
        stale.extend(found[0] for found in current.values())
        if stale:
            writes.append(Review.objects.filter(pk__in=stale).delete)
        if new:
            writes.append(_Rows(Review, book, ("quote", "source", "url", "position"), new))
        return writes


def _refused(data: BookData, error: Exception) -> Problem:
    """The report's line for a product the database (or the plan for it) refused."""
    reason = " ".join(str(error).split()) or type(error).__name__
    return Problem(data.reference, "database", reason)
