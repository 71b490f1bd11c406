"""The checkout's contact and delivery form: what it accepts, what it refuses and with
which message beside which field."""

import pytest

from shop.checkout.forms import CheckoutDetailsForm
from shop.orders.services import DeliveryDetails
from tests.shop.checkout.conftest import ADDRESS


def errors(data: dict) -> dict[str, list[str]]:
    form = CheckoutDetailsForm(data)
    assert not form.is_valid()
    return {name: list(messages) for name, messages in form.errors.items()}


def test_a_delivery_address_becomes_the_orders_details() -> None:
    form = CheckoutDetailsForm({**ADDRESS, "name": "  Anna Reader ", "phone": "0412 345 678"})

    assert form.is_valid(), form.errors
    assert not form.click_and_collect
    assert form.details() == DeliveryDetails(
        email="reader@example.com",
        name="Anna Reader",
        line1="12 Lygon Street",
        suburb="Carlton",
        state="VIC",
        postcode="3053",
        phone="0412 345 678",
    )


def test_click_and_collect_needs_a_name_and_email_and_ignores_any_address() -> None:
    form = CheckoutDetailsForm(
        {
            "email": "reader@example.com",
            "how": "collect",
            "name": "Anna Reader",
            "line1": "x" * 5000,
            "state": "XX",
            "postcode": "abcd",
        }
    )

    assert form.is_valid(), form.errors
    assert form.click_and_collect
    assert form.details() == DeliveryDetails(email="reader@example.com", name="Anna Reader")


def test_a_postcode_from_another_state_is_refused_beside_the_postcode() -> None:
    assert errors({**ADDRESS, "postcode": "2000"}) == {
        "postcode": ["2000 is not a postcode in Victoria."]
    }


def test_a_delivery_without_its_address_names_each_missing_field() -> None:
    data = {**ADDRESS, "line1": " ", "suburb": "", "state": "", "postcode": ""}

    assert errors(data) == {
        "line1": ["Enter the street address."],
        "suburb": ["Enter the suburb or town."],
        "state": ["Choose the state or territory."],
        "postcode": ["Enter the postcode."],
    }


def test_missing_email_name_and_delivery_choice_are_each_refused() -> None:
    found = errors({})

    assert set(found) == {"email", "how", "name"}


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("postcode", "30😀3"),
        ("postcode", "３０５３"),
        ("postcode", "305"),
        ("postcode", "30533"),
        ("state", "Victoria"),
        ("state", "XX"),
        ("email", "not an email"),
        ("how", "teleport"),
        ("name", "Anna\x00Reader"),
        ("line1", "12 Lygon\x00Street"),
        ("name", "x" * 5000),
        ("line1", "x" * 5000),
        ("suburb", "x" * 5000),
        ("email", "a" * 5000 + "@example.com"),
        ("phone", "call me"),
        ("phone", "123"),
        ("phone", "0" * 40),
        ("phone", "０４１２ ３４５ ６７８"),
    ],
)
def test_nonsense_in_a_field_is_refused_beside_that_field(field: str, value: str) -> None:
    found = errors({**ADDRESS, field: value})

    assert list(found) == [field]
    assert all(message for message in found[field])


def test_a_business_buyers_abn_is_kept_without_spaces_for_the_tax_invoice() -> None:
    form = CheckoutDetailsForm({**ADDRESS, "buyer_abn": "53 004 085 616"})

    assert form.is_valid(), form.errors
    assert form.details().buyer_abn == "53004085616"


def test_an_abn_whose_check_digits_fail_is_refused_beside_the_abn() -> None:
    assert "buyer_abn" in errors({**ADDRESS, "buyer_abn": "53 004 085 617"})


def test_the_forms_inputs_are_djangos_own_html_drawn_faster() -> None:
    """The checkout draws its inputs with Jinja2's copies of Django's widget templates:
    apart from whitespace, the HTML is what Django's own templates give, errors and all."""
    import re

    from django.forms.renderers import DjangoTemplates

    from shop.checkout.forms import WIDGETS

    data = {**ADDRESS, "name": "<b>Anna</b>", "postcode": "2000", "buyer_abn": "1"}

    def html(renderer) -> str:
        form = CheckoutDetailsForm(data, renderer=renderer)
        form.is_valid()
        fields = [str(form[name]) for name in form.fields] + [str(form.errors)]
        return re.sub(r"\s+", " ", re.sub(r">\s+<", "><", "".join(fields)))

    assert CheckoutDetailsForm.default_renderer is WIDGETS
    assert html(WIDGETS) == html(DjangoTemplates())
    assert "&lt;b&gt;Anna&lt;/b&gt;" in html(WIDGETS)
