"""factory_boy factories for the catalogue; every ISBN they make has a valid check digit."""

import datetime
from decimal import Decimal

import factory
from django.utils.text import slugify
from djmoney.money import Money

from catalogue.isbn import isbn13_check_digit
from catalogue.models import Author, Book, BookFormat, Contribution, Imprint, Review, Subject
from catalogue.search import fold


def make_isbn(n: int) -> str:
    first12 = f"978{n:09d}"[:12]
    return first12 + isbn13_check_digit(first12)


class ImprintFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Imprint
        django_get_or_create = ("slug",)

    name = factory.Sequence(lambda n: f"Imprint {n}")
    slug = factory.LazyAttribute(lambda o: slugify(o.name))
    publisher = "Example Publishing"


class SubjectFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Subject
        django_get_or_create = ("slug",)

    name = factory.Sequence(lambda n: f"Subject {n}")
    slug = factory.LazyAttribute(lambda o: slugify(o.name))


class AuthorFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Author

    name = factory.Sequence(lambda n: f"Author Number{n}")
    sort_name = factory.LazyAttribute(lambda o: ", ".join(reversed(o.name.split(" ", 1))))
    slug = factory.LazyAttribute(lambda o: slugify(o.name))
    biography = "A writer."


class BookFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Book

    title = factory.Sequence(lambda n: f"Book Title {n}")
    subtitle = ""
    slug = factory.LazyAttribute(lambda o: slugify(o.title))
    isbn = factory.Sequence(lambda n: make_isbn(100000 + n))
    published = datetime.date(2020, 1, 15)
    imprint = factory.SubFactory(ImprintFactory)
    format = BookFormat.PAPERBACK
    pages = 224
    rrp = Money(Decimal("29.99"), "AUD")
    description = "A book."
    stock = 5
    search_text = factory.LazyAttribute(
        lambda o: fold(" ".join(filter(None, [o.title, o.subtitle, o.isbn])))
    )


class ContributionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Contribution
        skip_postgeneration_save = True

    book = factory.SubFactory(BookFactory)
    author = factory.SubFactory(AuthorFactory)
    role = Contribution.Role.AUTHOR
    position = 0

    @factory.post_generation
    def refresh_search_text(obj, create, extracted, **kwargs):
        # As the admin does after saving a book's contributors.
        if create:
            Book.objects.filter(pk=obj.book_id).refresh_search_text()


class ReviewFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Review

    book = factory.SubFactory(BookFactory)
    quote = "A remarkable book."
    source = "The Reviewer"
    position = 0
