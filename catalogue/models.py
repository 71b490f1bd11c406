"""The catalogue: imprints, subjects, authors, books, who contributed to them, and praise."""

from decimal import Decimal

from django import forms
from django.core.exceptions import ValidationError
from django.core.validators import MaxLengthValidator
from django.db import models
from django.db.models import F, Prefetch, Q
from django.urls import reverse
from django.utils import timezone
from djmoney.models.fields import MoneyField

from catalogue import search as fulltext
from catalogue.availability import (
    Availability,
    availability_q,
    dated_out_now_q,
    dispatch_promise,
    forthcoming_q,
    is_forthcoming,
)
from catalogue.isbn import InvalidISBN, normalise_isbn
from catalogue.isbn import compact as compact_isbn


class ISBNFormField(forms.CharField):
    """Accepts an ISBN-10 or ISBN-13 with hyphens or spaces; cleans to 13 digits."""

    def __init__(self, **kwargs):
        kwargs["max_length"] = 24
        kwargs.setdefault(
            "help_text", "ISBN-13 or ISBN-10; hyphens and spaces are fine. Stored as 13 digits."
        )
        super().__init__(**kwargs)

    def to_python(self, value):
        value = super().to_python(value)
        if value in self.empty_values:
            return value
        try:
            return normalise_isbn(value)
        except InvalidISBN as error:
            raise ValidationError(str(error), code="invalid_isbn") from error


def validate_isbn13(value: str) -> None:
    try:
        canonical = normalise_isbn(value)
    except InvalidISBN as error:
        raise ValidationError(str(error), code="invalid_isbn") from error
    if canonical != value:
        raise ValidationError("Store the ISBN as 13 digits.", code="invalid_isbn")


class ISBNField(models.CharField):
    """A 13-digit ISBN. Input in any usual form is normalised when the model is cleaned."""

    default_validators = [validate_isbn13]

    def __init__(self, *args, **kwargs):
        kwargs["max_length"] = 13
        super().__init__(*args, **kwargs)
        # validate_isbn13 already insists on 13 digits; a length error on top of it would
        # only confuse someone who typed a hyphenated ISBN with a wrong check digit.
        self.validators[:] = [v for v in self.validators if not isinstance(v, MaxLengthValidator)]

    def deconstruct(self):
        name, path, args, kwargs = super().deconstruct()
        del kwargs["max_length"]
        return name, path, args, kwargs

    def to_python(self, value):
        value = super().to_python(value)
        if value in (None, ""):
            return value
        try:
            return normalise_isbn(value)
        except InvalidISBN:
            return value  # the validator reports it with its message

    def formfield(self, **kwargs):
        return super().formfield(**{"form_class": ISBNFormField, **kwargs})


class Imprint(models.Model):
    name = models.CharField(max_length=200, unique=True)
    slug = models.SlugField(max_length=200, unique=True)
    publisher = models.CharField(
        max_length=200, blank=True, help_text="The publishing house behind the imprint, if any."
    )

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class Subject(models.Model):
    name = models.CharField(max_length=120, unique=True)
    slug = models.SlugField(max_length=120, unique=True)

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class Author(models.Model):
    name = models.CharField(max_length=200, help_text="As printed on the cover: Victor Serge.")
    sort_name = models.CharField(
        max_length=200, help_text="Used for alphabetical order: Serge, Victor."
    )
    slug = models.SlugField(max_length=200, unique=True)
    biography = models.TextField(blank=True, help_text="Paragraphs separated by a blank line.")
    photo = models.ImageField(upload_to="authors/", blank=True)

    class Meta:
        ordering = ["sort_name", "name"]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("shop:author-detail", kwargs={"slug": self.slug})

    # Words that belong with the family name that follows them: "Le Guin", "van Gogh".
    FAMILY_NAME_PARTICLES = frozenset(
        [
            "al",
            "bin",
            "da",
            "de",
            "del",
            "della",
            "der",
            "des",
            "di",
            "du",
            "ibn",
            "la",
            "le",
            "st",
            "st.",
            "ten",
            "ter",
            "van",
            "von",
        ]
    )

    @classmethod
    def sort_name_for(cls, name: str) -> str:
        """The usual sort name for a name as printed: "Victor Serge" -> "Serge, Victor",
        "Ursula K. Le Guin" -> "Le Guin, Ursula K."; a single name stays as it is."""
        words = name.split()
        family = len(words) - 1
        while family > 1 and words[family - 1].lower() in cls.FAMILY_NAME_PARTICLES:
            family -= 1
        if family <= 0:
            return " ".join(words)
        return f"{' '.join(words[family:])}, {' '.join(words[:family])}"


class BookFormat(models.TextChoices):
    """What kind of product a book is. Each has the ONIX ProductForm code a feed would send."""

    HARDBACK = "hardback", "Hardback"
    PAPERBACK = "paperback", "Paperback"
    EBOOK = "ebook", "eBook"
    AUDIOBOOK = "audiobook", "Audiobook"
    OTHER = "other", "Other"

    @property
    def default_product_form(self) -> str:
        return {
            "hardback": "BB",
            "paperback": "BC",
            "ebook": "ED",
            "audiobook": "AJ",
            "other": "00",
        }[self.value]


class BookQuerySet(models.QuerySet):
    def visible(self):
        """Books customers may see."""
        return self.filter(is_visible=True)

    def published(self):
        """Visible books already out (not pre-orders), with a publication date: an
        undated book is out now but not a new release (see catalogue.availability)."""
        return self.visible().filter(dated_out_now_q(timezone.localdate()))

    def forthcoming(self):
        """Visible books with a publication date still to come: pre-orders."""
        return self.visible().filter(forthcoming_q(timezone.localdate()))

    def in_stock(self):
        return self.filter(stock__gt=0)

    def with_availability(self, availability: "Availability"):
        """Books whose `Book.availability` is the one given (the same rules, in SQL)."""
        return self.filter(availability_q(availability, timezone.localdate()))

    def with_contributors(self):
        """Prefetch contributions with their authors, in order, in one query."""
        return self.prefetch_related(
            Prefetch(
                "contributions",
                queryset=Contribution.objects.select_related("author").order_by("position", "id"),
            )
        )

    def for_listing(self):
        """What a list of book cards shows: imprint and contributors, no N+1."""
        return self.visible().select_related("imprint").with_contributors()

    def for_detail(self):
        """Everything a book page shows, in a constant number of queries."""
        return (
            self.visible()
            .select_related("imprint")
            .with_contributors()
            .prefetch_related("subjects", "reviews")
        )

    def search(self, text: str):
        """Books with a word starting with each word of `text` in their title, subtitle,
        contributors' names or ISBN (see catalogue.search), annotated with `relevance`
        (higher is better) for ordering."""
        phrase = " ".join(text.split())
        return fulltext.matching(self, phrase).annotate(
            relevance=models.Case(
                models.When(Q(title__iexact=phrase) | Q(isbn=compact_isbn(phrase)), then=100),
                models.When(title__istartswith=phrase, then=60),
                models.When(title__icontains=phrase, then=40),
                models.When(subtitle__icontains=phrase, then=20),
                default=10,
                output_field=models.IntegerField(),
            )
        )

    def refresh_search_text(self) -> int:
        """Recompute `search_text` for these books after their titles or contributors
        changed. Returns how many were updated."""
        books = list(self.with_contributors())
        changed = []
        for book in books:
            text = book.build_search_text()
            if text != book.search_text:
                book.search_text = text
                changed.append(book)
        Book.objects.bulk_update(changed, ["search_text"], batch_size=1000)
        return len(changed)

    def by_author(self, author: "Author", role: str | None = None):
        """Books the author contributed to (in the given role, if one is given)."""
        contributions = Contribution.objects.filter(book=models.OuterRef("pk"), author=author)
        if role is not None:
            contributions = contributions.filter(role=role)
        return self.filter(models.Exists(contributions))


class Book(models.Model):
    title = models.CharField(max_length=300)
    subtitle = models.CharField(max_length=300, blank=True)
    slug = models.SlugField(
        max_length=300, help_text="Part of the book's web address; filled in from the title."
    )
    isbn = ISBNField(
        "ISBN", unique=True, help_text="ISBN-13 or ISBN-10; hyphens are fine. Stored as 13 digits."
    )
    published = models.DateField(
        "publication date",
        null=True,
        blank=True,
        help_text="A date still to come makes the book a pre-order.",
    )
    imprint = models.ForeignKey(
        Imprint, on_delete=models.PROTECT, related_name="books", null=True, blank=True
    )
    format = models.CharField(max_length=20, choices=BookFormat, default=BookFormat.PAPERBACK)
    product_form = models.CharField(
        "ONIX product form",
        max_length=2,
        blank=True,
        help_text="The two-character ONIX ProductForm code (BC paperback, BB hardback, ...). "
        "Left blank, the format's usual code is used.",
    )
    pages = models.PositiveIntegerField(null=True, blank=True)
    rrp = MoneyField(
        "RRP",
        max_digits=10,
        decimal_places=2,
        default_currency="AUD",
        currency_choices=[("AUD", "Australian dollar")],
        null=True,
        blank=True,
        help_text="Recommended retail price in Australian dollars, GST included. "
        "A book without an RRP cannot be bought.",
    )
    description = models.TextField(blank=True, help_text="Paragraphs separated by a blank line.")
    cover = models.ImageField(
        upload_to="covers/",
        blank=True,
        help_text="JPEG, PNG or WebP, at least 200 pixels wide. Pages show resized copies.",
    )
    stock = models.PositiveIntegerField(default=0, help_text="Copies on hand.")
    subjects = models.ManyToManyField(Subject, related_name="books", blank=True)
    is_visible = models.BooleanField(
        "visible in the shop", default=True, help_text="Untick to hide the book from customers."
    )
    search_text = models.TextField(
        blank=True,
        editable=False,
        help_text="Title, subtitle, contributors and ISBN, for keyword search.",
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = BookQuerySet.as_manager()

    class Meta:
        ordering = ["title", "id"]
        constraints = [
            models.CheckConstraint(condition=Q(stock__gte=0), name="book_stock_not_negative"),
            models.CheckConstraint(
                condition=Q(pages__isnull=True) | Q(pages__gt=0), name="book_pages_positive"
            ),
            models.CheckConstraint(
                condition=Q(rrp__isnull=True) | Q(rrp__gte=Decimal("0")),
                name="book_rrp_not_negative",
            ),
            models.CheckConstraint(condition=Q(rrp_currency="AUD"), name="book_rrp_in_aud"),
        ]
        indexes = [
            models.Index(fields=["is_visible", "published"], name="book_visible_published"),
        ]

    def __str__(self) -> str:
        return self.full_title

    def get_absolute_url(self) -> str:
        return reverse("shop:book-detail", kwargs={"slug": self.slug, "isbn": self.isbn})

    @property
    def full_title(self) -> str:
        return f"{self.title}: {self.subtitle}" if self.subtitle else self.title

    @property
    def onix_product_form(self) -> str:
        return self.product_form or BookFormat(self.format).default_product_form

    @property
    def is_forthcoming(self) -> bool:
        return is_forthcoming(self.published, timezone.localdate())

    def build_search_text(self) -> str:
        names = [c.author.name for c in self.contributors()]
        return fulltext.search_text(self.title, self.subtitle, names, self.isbn)

    @property
    def availability(self) -> Availability:
        return Availability.of(
            rrp=self.rrp, published=self.published, stock=self.stock, today=timezone.localdate()
        )

    @property
    def dispatch_promise(self) -> str:
        """When a copy bought now is dispatched (catalogue.availability); empty when the
        book cannot be bought."""
        if not self.is_visible:
            return ""
        return dispatch_promise(self.availability, self.published)

    @property
    def can_be_bought(self) -> bool:
        return self.is_visible and self.availability in (
            Availability.IN_STOCK,
            Availability.PRE_ORDER,
        )

    def contributors(self, role: str | None = None) -> list["Contribution"]:
        """Contributions in order (uses the prefetch when there is one)."""
        return [c for c in self.contributions.all() if role is None or c.role == role]

    @property
    def authors(self) -> list["Author"]:
        return [c.author for c in self.contributors(Contribution.Role.AUTHOR)]

    @property
    def author_names(self) -> str:
        return ", ".join(a.name for a in self.authors)


class ContributionQuerySet(models.QuerySet):
    def for_author_page(self, author: "Author"):
        """The author's visible books, their own books first and then those they
        translated, edited or introduced, newest first, with each book's contributors."""
        role_order = models.Case(
            *[models.When(role=role, then=i) for i, role in enumerate(Contribution.Role.values)],
            output_field=models.IntegerField(),
        )
        return (
            self.filter(author=author, book__is_visible=True)
            .select_related("book__imprint")
            .prefetch_related(
                Prefetch(
                    "book__contributions",
                    queryset=Contribution.objects.select_related("author").order_by(
                        "position", "id"
                    ),
                )
            )
            .order_by(role_order, F("book__published").desc(nulls_last=True), "book__title")
        )


class Contribution(models.Model):
    class Role(models.TextChoices):
        AUTHOR = "author", "Author"
        TRANSLATOR = "translator", "Translator"
        EDITOR = "editor", "Editor"
        INTRODUCTION = "introduction", "Introduction"
        FOREWORD = "foreword", "Foreword"
        ILLUSTRATOR = "illustrator", "Illustrator"

    # How a book page credits each role: "Translated by Richard Greeman".
    CREDIT = {
        Role.AUTHOR: "",
        Role.TRANSLATOR: "Translated by",
        Role.EDITOR: "Edited by",
        Role.INTRODUCTION: "Introduction by",
        Role.FOREWORD: "Foreword by",
        Role.ILLUSTRATOR: "Illustrated by",
    }

    book = models.ForeignKey(Book, on_delete=models.CASCADE, related_name="contributions")
    author = models.ForeignKey(Author, on_delete=models.PROTECT, related_name="contributions")
    role = models.CharField(max_length=20, choices=Role, default=Role.AUTHOR)
    position = models.PositiveSmallIntegerField(
        default=0, help_text="Order on the book page: lowest first."
    )

    objects = ContributionQuerySet.as_manager()

    class Meta:
        ordering = ["position", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["book", "author", "role"], name="contribution_one_per_book_author_role"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.author} ({self.get_role_display()})"

    @property
    def credit(self) -> str:
        """ "Translated by" for a translator; empty for an author."""
        return self.CREDIT[self.role]


class Review(models.Model):
    """A "Praise for ..." quote on a book page."""

    book = models.ForeignKey(Book, on_delete=models.CASCADE, related_name="reviews")
    quote = models.TextField()
    source = models.CharField(
        max_length=200, help_text="Who said it: a person or a publication (John Berger, Bookforum)."
    )
    url = models.URLField("link", blank=True, help_text="Where the quote can be read, if online.")
    position = models.PositiveSmallIntegerField(
        default=0, help_text="Order on the book page: lowest first."
    )

    class Meta:
        ordering = ["position", "id"]

    def __str__(self) -> str:
        return f"{self.source} on {self.book.title}"


class OnixImport(models.Model):
    """An ONIX file uploaded in admin and its import, run by a job (catalogue.onix.jobs):
    who uploaded what and when, how far it has got, and its report or its error. The file
    waits in settings.ONIX_UPLOAD_ROOT, never under MEDIA_ROOT."""

    class Status(models.TextChoices):
        QUEUED = "queued", "Waiting to start"
        RUNNING = "running", "Importing"
        DONE = "done", "Imported"
        FAILED = "failed", "Failed"

    uploaded_by = models.ForeignKey(
        "auth.User", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    uploaded_at = models.DateTimeField(default=timezone.now)
    file_name = models.CharField(max_length=255, help_text="The file's name as uploaded.")
    stored_name = models.CharField(max_length=255, help_text="Its name in ONIX_UPLOAD_ROOT.")
    size = models.PositiveBigIntegerField(default=0)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.QUEUED)
    attempts = models.PositiveSmallIntegerField(default=0)
    products_read = models.PositiveIntegerField(default=0)
    created = models.PositiveIntegerField(default=0)
    updated = models.PositiveIntegerField(default=0)
    unchanged = models.PositiveIntegerField(default=0)
    hidden = models.PositiveIntegerField(default=0)
    skipped = models.PositiveIntegerField(default=0)
    fraction_read = models.FloatField(null=True, blank=True)
    problems = models.JSONField(
        default=list, blank=True, help_text="Each skipped product: record, field, reason."
    )
    problems_not_kept = models.PositiveIntegerField(default=0)
    error = models.TextField(blank=True, help_text="Why the import failed, if it did.")
    started_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)
    heartbeat_at = models.DateTimeField(
        null=True, blank=True, help_text="Last sign of life from the worker importing it."
    )

    class Meta:
        ordering = ["-uploaded_at", "-id"]
        verbose_name = "ONIX import"
        indexes = [models.Index(fields=["status", "heartbeat_at"], name="oniximport_status_idx")]

    def __str__(self) -> str:
        return f"{self.file_name} ({self.uploaded_at:%Y-%m-%d %H:%M})"

    @property
    def is_finished(self) -> bool:
        return self.status in (self.Status.DONE, self.Status.FAILED)

    def summary(self) -> str:
        products = "product" if self.products_read == 1 else "products"
        return (
            f"{self.products_read} {products}: {self.created} created, {self.updated} updated, "
            f"{self.unchanged} unchanged, {self.hidden} hidden, {self.skipped} skipped"
        )
