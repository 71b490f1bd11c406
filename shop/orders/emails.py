"""The emails an order sends its customer: the confirmation (its tax invoice once paid),
dispatch with the carrier and tracking number, cancellation, a refund, and how to pay by
bank transfer. Each is plain text with an HTML alternative, from templates/email/, with
the absolute link to the order's page (through its token), and goes out through
jobs.email.send_email once the current transaction commits."""

from django.template.loader import render_to_string
from djmoney.money import Money

from jobs.email import send_email
from shop import pricing
from shop.models import Order
from shop.orders.invoice import Invoice, invoice_for


def _send(*, invoice: Invoice, template: str, subject: str, **context) -> None:
    context = {"order": invoice.order, "invoice": invoice, **context}
    send_email(
        to=[invoice.order.email],
        subject=subject,
        body=render_to_string(f"email/{template}.txt", context),
        html=render_to_string(f"email/{template}.html", context),
    )


def order_confirmation_send(*, order: Order) -> None:
    """The order's confirmation: its tax invoice once it is paid; before that, what was
    ordered and that payment is awaited."""
    invoice = invoice_for(order)
    kind = "tax invoice" if invoice.is_tax_invoice else "order received"
    _send(invoice=invoice, template="order_confirmation", subject=f"Order {order.number}: {kind}")


def order_dispatched_send(*, order: Order) -> None:
    """The order is on its way (with its carrier and tracking number) or, for Click &
    Collect, ready to collect."""
    news = "ready to collect" if order.click_and_collect else "on its way"
    _send(
        invoice=invoice_for(order),
        template="order_dispatched",
        subject=f"Order {order.number} is {news}",
    )


def order_cancelled_send(*, order: Order) -> None:
    _send(
        invoice=invoice_for(order),
        template="order_cancelled",
        subject=f"Order {order.number} cancelled",
    )


def order_refunded_send(*, order: Order, amount: Money) -> None:
    """`amount` (AUD, more than nothing) of the order was refunded."""
    if str(amount.currency) != pricing.CURRENCY or amount.amount <= 0:
        raise ValueError(f"A refund is an amount in {pricing.CURRENCY} above zero, not {amount}")
    _send(
        invoice=invoice_for(order),
        template="order_refunded",
        subject=f"Refund on order {order.number}",
        amount=amount,
    )


def order_bank_transfer_send(*, order: Order, details) -> None:
    """The customer chose to pay by bank transfer: the account to pay into (`details`,
    the shop's BankTransferDetails), the amount and the reference, with the order."""
    _send(
        invoice=invoice_for(order),
        template="order_bank_transfer",
        subject=f"Order {order.number}: how to pay by bank transfer",
        bank=details,
    )
