"""The payments' data: each attempt to pay an order by card (a django-payments payment),
the refunds made through the provider, and the bank transfer details staff keep in admin.
No card details are ever stored: the provider's own page takes the card."""

from decimal import Decimal
from urllib.parse import urlencode, urljoin

from django.core.validators import RegexValidator
from django.db import models
from django.db.models import Q, Sum
from django.urls import reverse
from payments import PaymentStatus, PurchasedItem
from payments.core import get_base_url
from payments.models import BasePayment

from shop.models import Order, aud_field

LIVE_STATUSES = (PaymentStatus.WAITING, PaymentStatus.INPUT)


class Payment(BasePayment):
    """One attempt to pay an order by card. The amount is the order's total, copied on the
    server when the attempt starts; an order may have several attempts (a declined card,
    then another), at most one of them live (waiting for the customer) at a time."""

    order = models.ForeignKey(Order, on_delete=models.PROTECT, related_name="payments")
    settled_at = models.DateTimeField(
        null=True,
        blank=True,
        editable=False,
        help_text="When the shop acted on the provider's confirmation (marked the order paid, "
        "or refunded a payment the order no longer needed). Set once: a repeated "
        "confirmation changes nothing.",
    )
    outcome = models.TextField(
        blank=True, editable=False, help_text="What the shop did with this payment."
    )

    class Meta:
        ordering = ["-created", "-id"]
        indexes = [models.Index(fields=["token"], name="payment_token")]

    def __str__(self) -> str:
        return f"Payment {self.pk} for order {self.order.number}"

    def _pay_page_url(self) -> str:
        path = reverse("shop:order-pay", kwargs={"token": self.order.token})
        return urljoin(get_base_url(), f"{path}?{urlencode({'attempt': self.token})}")

    # The provider sends the customer back to the pay page either way; the page reads the
    # attempt's status (the provider's callback, not the customer's browser, confirms it).
    def get_success_url(self) -> str:
        return self._pay_page_url()

    def get_failure_url(self) -> str:
        return self._pay_page_url()

    def get_purchased_items(self):
        for line in self.order.lines.all():
            yield PurchasedItem(
                name=line.title,
                quantity=line.quantity,
                price=line.unit_price.amount,
                currency="AUD",
                sku=line.isbn,
            )
        if self.order.postage.amount:
            yield PurchasedItem(
                name=f"Postage: {self.order.delivery_method_name}",
                quantity=1,
                price=self.order.postage.amount,
                currency="AUD",
                sku="postage",
            )

    @property
    def refunded_amount(self) -> Decimal:
        """What the shop has refunded of this payment, by its own records."""
        total = self.refunds.aggregate(total=Sum("amount"))["total"]
        return total or Decimal("0.00")

    @property
    def refundable_amount(self) -> Decimal:
        """What can still be refunded: what was captured, less what was refunded."""
        if self.status != PaymentStatus.CONFIRMED:
            return Decimal("0.00")
        return max(min(self.captured_amount, self.total - self.refunded_amount), Decimal("0.00"))


class PaymentRefund(models.Model):
    """Money given back through the provider, as the shop asked for it."""

    payment = models.ForeignKey(Payment, on_delete=models.PROTECT, related_name="refunds")
    amount = aud_field()
    reason = models.CharField(max_length=300, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["created_at", "id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(amount__gt=Decimal("0")), name="paymentrefund_amount_positive"
            ),
        ]

    def __str__(self) -> str:
        return f"Refund of {self.amount} on payment {self.payment_id}"


class BankTransferDetails(models.Model):
    """The shop's bank account for customers who pay by bank transfer. The pay page offers
    bank transfer only while one set of details is active."""

    account_name = models.CharField(max_length=200)
    bsb = models.CharField(
        "BSB",
        max_length=7,
        validators=[RegexValidator(r"^[0-9]{3}-?[0-9]{3}$", "A BSB is six digits: 062-000.")],
    )
    account_number = models.CharField(
        max_length=10,
        validators=[
            RegexValidator(r"^[0-9]{5,10}$", "An account number is 5 to 10 digits, no spaces.")
        ],
    )
    reference_instructions = models.TextField(
        blank=True,
        help_text="Shown to the customer under the details, for example how long a transfer "
        "takes to reach us. The order number is always given as the reference.",
    )
    active = models.BooleanField(
        default=False, help_text="Offer bank transfer on the pay page with these details."
    )
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = "bank transfer details"
        verbose_name_plural = "bank transfer details"
        constraints = [
            models.UniqueConstraint(
                fields=["active"],
                condition=Q(active=True),
                name="banktransfer_one_active",
                violation_error_message="Only one set of bank transfer details can be active: "
                "make the other inactive first.",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.account_name} ({self.bsb_shown} {self.account_number})"

    @property
    def bsb_shown(self) -> str:
        digits = self.bsb.replace("-", "")
        return f"{digits[:3]}-{digits[3:]}"
