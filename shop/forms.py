"""Parse and validate what customers send: listing parameters (and, later, basket changes)."""

from decimal import Decimal

from django import forms

from catalogue.availability import Availability
from catalogue.models import BookFormat


class Sort:
    RELEVANCE = "relevance"
    NEWEST = "newest"
    TITLE = "title"
    PRICE_LOW = "price-low"
    PRICE_HIGH = "price-high"

    CHOICES = [
        (RELEVANCE, "Best match"),
        (NEWEST, "Newest"),
        (TITLE, "Title A–Z"),
        (PRICE_LOW, "Price: low to high"),
        (PRICE_HIGH, "Price: high to low"),
    ]


AVAILABILITY_CHOICES = [
    ("", "Any"),
    (Availability.IN_STOCK.value, "In stock"),
    (Availability.PRE_ORDER.value, "Pre-order"),
]


class BookSearchForm(forms.Form):
    """The listing's URL parameters. Each field that fails to parse is reported and then
    ignored, so a tampered or stale URL still shows books instead of an error page."""

    q = forms.CharField(label="Search", required=False, max_length=200)
    format = forms.MultipleChoiceField(
        choices=BookFormat.choices, required=False, widget=forms.CheckboxSelectMultiple
    )
    subject = forms.SlugField(required=False, max_length=120)
    imprint = forms.SlugField(required=False, max_length=200)
    min_price = forms.DecimalField(
        label="From $", required=False, min_value=0, max_digits=10, decimal_places=2
    )
    max_price = forms.DecimalField(
        label="To $", required=False, min_value=0, max_digits=10, decimal_places=2
    )
    availability = forms.ChoiceField(choices=AVAILABILITY_CHOICES, required=False)
    sort = forms.ChoiceField(choices=Sort.CHOICES, required=False)

    def clean(self):
        cleaned = super().clean()
        low, high = cleaned.get("min_price"), cleaned.get("max_price")
        if low is not None and high is not None and low > high:
            # Someone swapped the bounds: read them the way round they meant.
            cleaned["min_price"], cleaned["max_price"] = high, low
        return cleaned

    def criteria(self) -> dict:
        """The valid parameters only; invalid ones are dropped (their errors stay on the
        form for the page to show)."""
        self.is_valid()
        data = {}
        for name in self.fields:
            if name in self.errors:
                continue
            value = self.cleaned_data.get(name)
            if value not in (None, "", []):
                data[name] = value
        if isinstance(data.get("q"), str):
            data["q"] = " ".join(data["q"].split())
            if not data["q"]:
                del data["q"]
        sort = data.get("sort")
        if sort is None or (sort == Sort.RELEVANCE and "q" not in data):
            data["sort"] = Sort.RELEVANCE if "q" in data else Sort.NEWEST
        for key in ("min_price", "max_price"):
            if key in data:
                data[key] = Decimal(data[key])
        return data


class QuantityField(forms.IntegerField):
    """How many copies: a whole number from 1. The basket service checks the upper limit
    for the particular book; this only keeps out absurd numbers."""

    default_error_messages = {
        "required": "Enter how many copies you want.",
        "invalid": "Enter a whole number of copies, such as 1 or 2.",
        "min_value": "Choose at least one copy.",
        "max_value": "That is more copies than we can sell in one order.",
    }

    def __init__(self, **kwargs):
        kwargs.setdefault("min_value", 1)
        kwargs.setdefault("max_value", 9999)
        super().__init__(**kwargs)


class AddToBasketForm(forms.Form):
    book = forms.IntegerField(
        min_value=1,
        max_value=2**63 - 1,
        error_messages={
            "required": "Choose a book to add.",
            "invalid": "Sorry, that book is not in our catalogue.",
            "min_value": "Sorry, that book is not in our catalogue.",
            "max_value": "Sorry, that book is not in our catalogue.",
        },
    )
    quantity = QuantityField(initial=1)


class LineQuantityForm(forms.Form):
    quantity = QuantityField()


def first_error(form: forms.Form) -> str:
    """The first error message of an invalid form, for a one-line notice."""
    for errors in form.errors.values():
        return errors[0]
    return "Something in the form was not right; please try again."
