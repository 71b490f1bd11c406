"""The shop's data: baskets (written only by shop.basket), delivery methods (kept by staff
in admin), and orders with their lines and history (written only by shop.orders).
shop.pricing does their arithmetic."""

import secrets
from decimal import Decimal

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils import timezone
from djmoney.models.fields import MoneyField
from djmoney.money import Money
from localflavor.au.models import AUBusinessNumberField, AUPostCodeField, AUStateField

from catalogue.models import Book, BookFormat
from shop import pricing


def aud_field(verbose_name: str | None = None, **options) -> MoneyField:
    """A GST-inclusive amount in Australian dollars, to the cent."""
    return MoneyField(
        verbose_name,
        max_digits=10,
        decimal_places=2,
        default_currency="AUD",
        currency_choices=[("AUD", "Australian dollar")],
        **options,
    )


class Basket(models.Model):
    """A customer's basket. A visitor's basket is found through their session (which holds
    its id); a signed-in customer's belongs to their account, at most one each."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="basket",
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    def __str__(self) -> str:
        return f"Basket {self.pk} of {self.user or 'a visitor'}"


class BasketLine(models.Model):
    """One book in a basket. `unit_price` is the price when it was added (or when the
    customer was last told of a change)."""

    basket = models.ForeignKey(Basket, on_delete=models.CASCADE, related_name="lines")
    book = models.ForeignKey(Book, on_delete=models.CASCADE, related_name="+")
    quantity = models.PositiveIntegerField()
    unit_price = aud_field()
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["created_at", "id"]
        constraints = [
            models.UniqueConstraint(fields=["basket", "book"], name="basketline_one_per_book"),
            models.CheckConstraint(
                condition=Q(quantity__gte=1), name="basketline_quantity_positive"
            ),
            models.CheckConstraint(
                condition=Q(unit_price__gte=0), name="basketline_unit_price_not_negative"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.quantity} × {self.book}"

    @property
    def line_total(self) -> Money:
        return pricing.line_total(self.unit_price, self.quantity)


class DeliveryMethod(models.Model):
    """A way an order reaches the customer, with its price (GST included). Staff keep these
    in admin; an order keeps a copy of the method's name and price as they were."""

    name = models.CharField(max_length=100, unique=True)
    price = aud_field(help_text="Postage for an order, GST included.")
    free_above = aud_field(
        "free above",
        null=True,
        blank=True,
        help_text="Postage is free when the books in an order come to more than this. "
        "Leave blank for never.",
    )
    estimated_days = models.PositiveSmallIntegerField(
        "estimated business days",
        help_text="Business days from dispatch to the customer (0 for Click & Collect).",
    )
    is_click_and_collect = models.BooleanField(
        "Click & Collect",
        default=False,
        help_text="The customer collects the order from the shop: no delivery address.",
    )
    active = models.BooleanField(default=True, help_text="Offered at checkout.")
    position = models.PositiveSmallIntegerField(default=0, help_text="Order at checkout.")

    class Meta:
        ordering = ["position", "name"]
        constraints = [
            models.CheckConstraint(
                condition=Q(price__gte=0), name="deliverymethod_price_not_negative"
            ),
            models.CheckConstraint(
                condition=Q(free_above__isnull=True) | Q(free_above__gte=0),
                name="deliverymethod_free_above_not_negative",
            ),
        ]

    def __str__(self) -> str:
        return self.name

    def postage_for(self, subtotal: Money) -> Money:
        """What this method costs on an order whose books come to `subtotal`."""
        return pricing.postage(price=self.price, free_above=self.free_above, subtotal=subtotal)


# Order numbers are read out over the phone: no 0/O, 1/I/L, 5/S.
ORDER_NUMBER_ALPHABET = "ABCDEFGHJKMNPQRTUVWXYZ2346789"


def new_order_number() -> str:
    """A human-readable order number such as "KX7F-2M9Q" (unique by constraint)."""
    chars = "".join(secrets.choice(ORDER_NUMBER_ALPHABET) for _ in range(8))
    return f"{chars[:4]}-{chars[4:]}"


def new_order_token() -> str:
    """The unguessable part of an order's public URL (256 random bits)."""
    return secrets.token_urlsafe(32)


class OrderStatus(models.TextChoices):
    AWAITING_PAYMENT = "awaiting-payment", "Awaiting payment"
    PAID = "paid", "Paid"
    PICKING = "picking", "Picking"
    DISPATCHED = "dispatched", "Dispatched"
    DELIVERED = "delivered", "Delivered"
    CANCELLED = "cancelled", "Cancelled"
    REFUNDED = "refunded", "Refunded"


class Order(models.Model):
    """A sale: who bought, where it goes, and the amounts charged, copied at checkout so
    later edits to books or delivery methods never change it. Customers reach it through
    `token`, never its id or number."""

    number = models.CharField(max_length=9, unique=True, default=new_order_number, editable=False)
    token = models.CharField(max_length=64, unique=True, default=new_order_token, editable=False)
    checkout_token = models.CharField(
        max_length=64,
        unique=True,
        editable=False,
        help_text="The checkout this order came from: the same checkout sent twice finds "
        "this order instead of placing another.",
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="orders",
    )
    status = models.CharField(
        max_length=20, choices=OrderStatus, default=OrderStatus.AWAITING_PAYMENT
    )
    email = models.EmailField()
    phone = models.CharField(max_length=30, blank=True)
    buyer_abn = AUBusinessNumberField(
        "buyer's ABN", blank=True, help_text="Given by a business buyer, for its tax invoice."
    )
    delivery_name = models.CharField("name", max_length=200)
    delivery_line1 = models.CharField("address line 1", max_length=200, blank=True)
    delivery_line2 = models.CharField("address line 2", max_length=200, blank=True)
    delivery_suburb = models.CharField("suburb", max_length=100, blank=True)
    delivery_state = AUStateField("state", blank=True)
    delivery_postcode = AUPostCodeField("postcode", blank=True)
    delivery_method = models.ForeignKey(
        DeliveryMethod, on_delete=models.SET_NULL, null=True, blank=True, related_name="orders"
    )
    delivery_method_name = models.CharField("delivery method", max_length=100)
    delivery_method_price = aud_field("delivery method's price")
    click_and_collect = models.BooleanField("Click & Collect", default=False)
    subtotal = aud_field(help_text="The books, GST included.")
    postage = aud_field(help_text="What the delivery method cost on this order.")
    total = aud_field(help_text="Books and postage, GST included.")
    gst = aud_field("GST", help_text="The GST in the total: one eleventh, to the cent.")
    bank_transfer = models.BooleanField(
        default=False,
        help_text="The customer chose to pay by bank transfer: the order holds its stock until "
        "staff mark it paid or cancel it, instead of being released after 30 minutes.",
    )
    created_at = models.DateTimeField(auto_now_add=True, db_index=True)
    # Written by shop.orders.lifecycle as the order moves on.
    refunded = aud_field(
        default=Decimal("0.00"),
        help_text="What has been refunded so far, GST included (never more than the total).",
    )
    carrier = models.CharField(max_length=60, blank=True, help_text="Who carries the parcel.")
    tracking_number = models.CharField(max_length=60, blank=True)
    dispatched_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        constraints = [
            *(
                models.CheckConstraint(
                    condition=Q(**{f"{name}__gte": Decimal("0")}),
                    name=f"order_{name}_not_negative",
                )
                for name in (
                    "subtotal",
                    "postage",
                    "total",
                    "gst",
                    "delivery_method_price",
                    "refunded",
                )
            ),
            *(
                models.CheckConstraint(
                    condition=Q(**{f"{name}_currency": "AUD"}), name=f"order_{name}_in_aud"
                )
                for name in (
                    "subtotal",
                    "postage",
                    "total",
                    "gst",
                    "delivery_method_price",
                    "refunded",
                )
            ),
            models.CheckConstraint(
                condition=Q(refunded__lte=F("total")), name="order_refunded_at_most_total"
            ),
            models.CheckConstraint(condition=~Q(email=""), name="order_email_given"),
            models.CheckConstraint(
                condition=Q(click_and_collect=True)
                | (
                    ~Q(delivery_line1="")
                    & ~Q(delivery_suburb="")
                    & ~Q(delivery_state="")
                    & ~Q(delivery_postcode="")
                ),
                name="order_address_unless_collected",
            ),
        ]

    def __str__(self) -> str:
        return f"Order {self.number}"


class OrderLine(models.Model):
    """One book sold, as it was at checkout. `took_stock` says whether the order took copies
    from stock (an in-stock book) or none (a pre-order), so a cancellation or release knows
    what to put back."""

    order = models.ForeignKey(Order, on_delete=models.CASCADE, related_name="lines")
    book = models.ForeignKey(
        Book, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    title = models.CharField(max_length=300)
    isbn = models.CharField("ISBN", max_length=13)
    format = models.CharField(max_length=20, choices=BookFormat)
    unit_price = aud_field()
    quantity = models.PositiveIntegerField()
    line_total = aud_field()
    took_stock = models.BooleanField(
        default=True, help_text="Copies were taken from stock (not a pre-order)."
    )

    class Meta:
        ordering = ["order", "id"]
        constraints = [
            models.UniqueConstraint(fields=["order", "book"], name="orderline_one_per_book"),
            models.CheckConstraint(
                condition=Q(quantity__gte=1), name="orderline_quantity_positive"
            ),
            models.CheckConstraint(
                condition=Q(unit_price__gte=0), name="orderline_unit_price_not_negative"
            ),
            models.CheckConstraint(
                condition=Q(line_total__gte=0), name="orderline_line_total_not_negative"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.quantity} × {self.title}"


class OrderEvent(models.Model):
    """One step in an order's history, written by shop.orders.lifecycle in the same
    transaction as the change: from which status to which, who did it (none: the shop
    itself, such as the release of an unpaid order or the payment provider), when, and a
    note ("Australia Post 33AB1234", a reason, the amount refunded)."""

    order = models.ForeignKey(Order, on_delete=models.CASCADE, related_name="events")
    from_status = models.CharField("from", max_length=20, choices=OrderStatus)
    to_status = models.CharField("to", max_length=20, choices=OrderStatus)
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        help_text="Who made the change; empty when the shop made it.",
    )
    at = models.DateTimeField(default=timezone.now, db_index=True)
    note = models.CharField(max_length=500, blank=True)

    class Meta:
        ordering = ["at", "id"]

    def __str__(self) -> str:
        return f"{self.order}: {self.get_from_status_display()} → {self.get_to_status_display()}"


# The payments' models (card payment attempts, refunds, bank transfer details) live with
# the payments package; importing it here registers them with the shop app.
# A customer's saved delivery addresses live with the accounts package, likewise.
import shop.accounts.models  # noqa: E402
import shop.payments.models  # noqa: E402, F401
