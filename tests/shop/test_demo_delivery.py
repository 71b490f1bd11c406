"""The demo's delivery methods, written by `load_demo` beside the demo catalogue: Standard
($8.95, free over $80), Express ($14.95) and Click & Collect (free), put back as the demo
has them when run again."""

from decimal import Decimal
from io import StringIO

import pytest
from django.core.management import call_command

from shop.demo import load_delivery_methods
from shop.models import DeliveryMethod
from tests.shop.helpers import aud

pytestmark = pytest.mark.django_db


def methods() -> list[tuple]:
    return [
        (m.name, m.price, m.free_above, m.is_click_and_collect, m.active)
        for m in DeliveryMethod.objects.all()
    ]


def test_load_demo_writes_the_three_delivery_methods_in_checkout_order() -> None:
    out = StringIO()
    call_command("load_demo", stdout=out)
    assert methods() == [
        ("Standard", aud("8.95"), aud("80.00"), False, True),
        ("Express", aud("14.95"), None, False, True),
        ("Click & Collect", aud("0.00"), None, True, True),
    ]
    assert out.getvalue().strip().splitlines()[-1] == ("Delivery methods: 3 (3 created, 0 updated)")
    standard = DeliveryMethod.objects.get(name="Standard")
    assert standard.postage_for(aud("80.01")) == aud("0.00")
    assert standard.postage_for(aud("39.99")) == aud("8.95")


def test_load_demo_again_puts_back_an_edited_method_and_leaves_staff_methods_alone() -> None:
    assert load_delivery_methods() == (3, 0)
    DeliveryMethod.objects.filter(name="Express").update(price=Decimal("99.00"), active=False)
    DeliveryMethod.objects.create(name="Courier", price=aud("25.00"), estimated_days=1)
    assert load_delivery_methods() == (0, 1)
    assert load_delivery_methods() == (0, 0)
    express = DeliveryMethod.objects.get(name="Express")
    assert (express.price, express.active) == (aud("14.95"), True)
    assert DeliveryMethod.objects.filter(name="Courier").exists()
