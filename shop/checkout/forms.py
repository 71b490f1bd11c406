"""The checkout's forms: contact and delivery (an email, then an Australian delivery address
or Click & Collect from the shop), the delivery method, and the review's confirmation.
Every field answers nonsense with a message beside it; what the first accepts becomes the
DeliveryDetails that placing an order copies."""

from decimal import Decimal

from django import forms
from django.db.models import QuerySet
from django.forms.renderers import Jinja2
from djmoney.money import Money
from localflavor.au.au_states import STATE_CHOICES
from localflavor.au.forms import AUBusinessNumberField, AUPostCodeField

from shop import pricing
from shop.checkout import postcodes
from shop.models import DeliveryMethod
from shop.orders.services import DeliveryDetails

# The checkout's inputs are drawn with Jinja2's copies of Django's widget templates: the
# same HTML, in a fraction of the time DjangoTemplates takes on a page of many fields.
WIDGETS = Jinja2()

DELIVER = "deliver"
COLLECT = "collect"
_STATE_NAMES = dict(STATE_CHOICES)
# Digits, spaces and the usual punctuation of a phone number, 8 to 15 digits of it.
_PHONE_CHARACTERS = set("0123456789 +()-")


class AddressChecks:
    """What every form holding an Australian address checks the same way (the checkout's
    details, a customer's saved address): its phone, and that its postcode belongs to
    its state."""

    def clean_phone(self) -> str:
        phone = self.cleaned_data["phone"].strip()
        digits = sum(c.isdigit() for c in phone)
        if phone and (not set(phone) <= _PHONE_CHARACTERS or not 8 <= digits <= 15):
            raise forms.ValidationError("Enter a phone number, such as 02 9876 5432.")
        return phone

    def check_postcode(self, data: dict) -> None:
        postcode, state = data.get("postcode"), data.get("state")
        if postcode and state and not postcodes.belongs_to(postcode, state):
            self.add_error("postcode", f"{postcode} is not a postcode in {_STATE_NAMES[state]}.")


class CheckoutDetailsForm(AddressChecks, forms.Form):
    default_renderer = WIDGETS
    email = forms.EmailField(max_length=254, help_text="For your receipt and delivery updates.")
    how = forms.ChoiceField(
        label="Delivery",
        choices=[(DELIVER, "Deliver to an address in Australia"), (COLLECT, "Click & Collect")],
        widget=forms.RadioSelect,
        initial=DELIVER,
    )
    name = forms.CharField(label="Full name", max_length=200)
    line1 = forms.CharField(label="Street address", max_length=200, required=False)
    line2 = forms.CharField(label="Address line 2", max_length=200, required=False)
    suburb = forms.CharField(label="Suburb or town", max_length=100, required=False)
    state = forms.ChoiceField(
        label="State or territory", choices=[("", "Choose…"), *STATE_CHOICES], required=False
    )
    postcode = AUPostCodeField(label="Postcode", required=False)
    phone = forms.CharField(
        label="Phone (optional)", max_length=30, required=False, help_text="For the courier."
    )
    buyer_abn = AUBusinessNumberField(
        label="ABN (optional)",
        required=False,
        help_text="Buying for a business? Your ABN goes on the tax invoice.",
    )

    ADDRESS_FIELDS = ("line1", "line2", "suburb", "state", "postcode")
    _ADDRESS_REQUIRED = {
        "line1": "Enter the street address.",
        "suburb": "Enter the suburb or town.",
        "state": "Choose the state or territory.",
        "postcode": "Enter the postcode.",
    }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.is_bound and self.data.get("how") == COLLECT:
            # Click & Collect needs no address: whatever the address fields hold is ignored,
            # not judged.
            for name in self.ADDRESS_FIELDS:
                self.fields[name].disabled = True

    def clean(self) -> dict:
        data = super().clean()
        if data.get("how") != DELIVER:
            for name in self.ADDRESS_FIELDS:
                data[name] = ""
            return data
        for name, message in self._ADDRESS_REQUIRED.items():
            if name not in self.errors and not data.get(name):
                self.add_error(name, message)
        self.check_postcode(data)
        return data

    def details(self) -> DeliveryDetails:
        """What the customer entered, for placing the order (call after is_valid())."""
        data = self.cleaned_data
        return DeliveryDetails(
            email=data["email"],
            name=data["name"].strip(),
            line1=data["line1"].strip(),
            line2=data["line2"].strip(),
            suburb=data["suburb"].strip(),
            state=data["state"],
            postcode=data["postcode"],
            phone=data["phone"],
            buyer_abn=data["buyer_abn"],
        )

    @property
    def click_and_collect(self) -> bool:
        return self.cleaned_data.get("how") == COLLECT


def delivery_estimate(method: DeliveryMethod) -> str:
    """How long a method takes, in words."""
    if method.is_click_and_collect:
        return "Collect from the shop"
    days = method.estimated_days
    return f"{days} business day{'' if days == 1 else 's'} after dispatch"


class MethodChoiceField(forms.ModelChoiceField):
    """A delivery method, labelled with its postage on this basket."""

    def __init__(self, *args, subtotal: Money, **kwargs):
        self.subtotal = subtotal
        super().__init__(*args, **kwargs)

    def label_from_instance(self, method: DeliveryMethod) -> str:
        postage = method.postage_for(self.subtotal)
        price = "Free" if postage.amount == 0 else pricing.format_aud(postage)
        return f"{method.name} — {price} ({delivery_estimate(method)})"


class DeliveryMethodForm(forms.Form):
    """The delivery method, one of `methods` (those that fit the chosen delivery)."""

    default_renderer = WIDGETS

    method = MethodChoiceField(
        queryset=DeliveryMethod.objects.none(),
        subtotal=pricing.zero(),
        label="Delivery method",
        widget=forms.RadioSelect,
        empty_label=None,
        error_messages={
            "required": "Choose a delivery method.",
            "invalid_choice": "That delivery method is not offered: choose one of these.",
        },
    )

    def __init__(self, *args, methods: QuerySet[DeliveryMethod], subtotal: Money, **kwargs):
        super().__init__(*args, **kwargs)
        field = self.fields["method"]
        field.queryset = methods  # what a choice sent is checked against
        field.subtotal = subtotal
        # The choices shown, from `methods` itself: read once, however often it is listed
        # (a ModelChoiceField's own choices query their queryset each time they are drawn).
        field.choices = [(method.pk, field.label_from_instance(method)) for method in methods]


class PlaceOrderForm(forms.Form):
    """The review's "Place order": which checkout it confirms and the total it showed.
    Neither is trusted: the server places the order for its own checkout and computes
    every amount; a total that differs from the server's is refused, never charged."""

    default_renderer = WIDGETS

    checkout = forms.CharField(max_length=64)
    total = forms.DecimalField(max_digits=10, decimal_places=2, min_value=Decimal("0"))

    def shown_total(self) -> Money:
        return pricing.aud(self.cleaned_data["total"])
