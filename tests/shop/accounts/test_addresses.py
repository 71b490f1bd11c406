"""Saved delivery addresses: add, change, delete and make default, one default each (the
database refuses a second), only one's own, and the default fills the checkout."""

import pytest
from django.db import IntegrityError, transaction
from django.test import Client
from django.urls import reverse

from shop.accounts.addresses import address_create, address_delete
from shop.accounts.models import SavedAddress
from shop.basket import services as basket_services
from shop.models import Basket
from tests.html import parse
from tests.shop.accounts.conftest import make_user

pytestmark = pytest.mark.django_db

HOME = {
    "name": "Vera Reader",
    "line1": "12 Collins Street",
    "suburb": "Melbourne",
    "state": "VIC",
    "postcode": "3000",
    "phone": "0400 000 000",
}
WORK = {**HOME, "line1": "1 George Street", "suburb": "Sydney", "state": "NSW", "postcode": "2000"}


@pytest.fixture
def signed_in(client: Client, customer) -> Client:
    client.force_login(customer)
    return client


def test_the_first_address_becomes_the_default_and_a_new_default_replaces_it(
    signed_in: Client, customer
) -> None:
    signed_in.post(reverse("account-address-add"), HOME)
    signed_in.post(reverse("account-address-add"), {**WORK, "is_default": "on"})

    defaults = SavedAddress.objects.filter(user=customer, is_default=True)
    assert [a.line1 for a in defaults] == ["1 George Street"]
    home = SavedAddress.objects.get(line1="12 Collins Street")
    signed_in.post(reverse("account-address-default", args=[home.pk]))
    assert [a.line1 for a in defaults.all()] == ["12 Collins Street"]
    page = signed_in.get(reverse("account-addresses")).content.decode()
    assert "1 George Street" in page and "Used at checkout" in page


def test_the_database_refuses_two_defaults(customer) -> None:
    SavedAddress.objects.create(user=customer, is_default=True, **HOME)
    with pytest.raises(IntegrityError), transaction.atomic():
        SavedAddress.objects.create(user=customer, is_default=True, **WORK)


def test_a_postcode_outside_its_state_is_refused_with_a_message(signed_in: Client) -> None:
    response = signed_in.post(reverse("account-address-add"), {**HOME, "postcode": "2000"})
    assert response.status_code == 200
    assert "2000 is not a postcode in Victoria." in response.content.decode()
    assert not SavedAddress.objects.exists()


@pytest.mark.parametrize("phone", ["call me", "12", "0400 000 000 000 000 1", "☎ 0400 000 000"])
def test_a_phone_that_is_not_one_is_refused_as_at_checkout(signed_in: Client, phone) -> None:
    response = signed_in.post(reverse("account-address-add"), {**HOME, "phone": phone})
    assert response.status_code == 200
    assert "Enter a phone number, such as 02 9876 5432." in response.content.decode()
    assert not SavedAddress.objects.exists()


def test_changing_and_deleting_an_address(signed_in: Client, customer) -> None:
    home = address_create(user=customer, fields=HOME, is_default=False)
    work = address_create(user=customer, fields=WORK, is_default=False)
    assert home.is_default and not work.is_default

    signed_in.post(reverse("account-address-edit", args=[work.pk]), {**WORK, "line2": "Level 3"})
    work.refresh_from_db()
    assert work.line2 == "Level 3"

    signed_in.post(reverse("account-address-delete", args=[home.pk]))
    assert list(SavedAddress.objects.values_list("line1", "is_default")) == [
        ("1 George Street", True)
    ]
    address_delete(address=SavedAddress.objects.get())
    assert not SavedAddress.objects.exists()


def test_another_customer_s_address_is_a_404(signed_in: Client) -> None:
    theirs = address_create(user=make_user("other@example.com"), fields=HOME, is_default=True)
    assert signed_in.get(reverse("account-address-edit", args=[theirs.pk])).status_code == 404
    assert signed_in.post(reverse("account-address-delete", args=[theirs.pk])).status_code == 404
    assert signed_in.post(reverse("account-address-default", args=[theirs.pk])).status_code == 404
    assert SavedAddress.objects.filter(pk=theirs.pk).exists()


def test_deleting_is_a_post_only(signed_in: Client, customer) -> None:
    home = address_create(user=customer, fields=HOME, is_default=True)
    assert signed_in.get(reverse("account-address-delete", args=[home.pk])).status_code == 405
    assert SavedAddress.objects.filter(pk=home.pk).exists()


def test_the_default_address_fills_the_checkout_details(signed_in: Client, customer, book) -> None:
    address_create(user=customer, fields=WORK, is_default=True)
    basket = Basket.objects.create(user=customer)
    basket_services.basket_add(basket=basket, book_id=book.pk, quantity=1)

    page = parse(signed_in.get(reverse("shop:checkout")))

    assert page.find("input", name="line1").get("value") == "1 George Street"
    assert page.find("input", name="suburb").get("value") == "Sydney"
    assert page.find("input", name="postcode").get("value") == "2000"
    assert page.find("input", name="email").get("value") == customer.email
    state = page.find("select", name="state")
    assert [o.get("value") for o in state.find_all("option") if "selected" in o.attrs] == ["NSW"]
