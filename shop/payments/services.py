"""Every write for payments: starting a card payment for an order, choosing bank
transfer, acting on a provider's confirmation (marking the order paid, exactly once), and
refunds through the provider. Services take orders and payments, never a request; the
amounts always come from the order on the server."""

import logging
from decimal import Decimal

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from djmoney.money import Money
from payments import PaymentError, PaymentStatus
from payments.core import provider_factory

from shop import pricing
from shop.models import Order, OrderStatus
from shop.orders import emails
from shop.orders.lifecycle import TransitionRefused, order_mark_paid
from shop.payments.models import LIVE_STATUSES, Payment, PaymentRefund
from shop.payments.selectors import bank_transfer_details

logger = logging.getLogger(__name__)

REFUND_DUE = "Refund in full due: "


class PaymentRefused(Exception):
    """The order cannot be paid now; str(error) tells the customer why."""


class RefundFailed(Exception):
    """Nothing (or not all) was refunded; str(error) tells staff why."""


def card_payment_variant() -> str:
    """The django-payments variant that takes cards ("" when none is set up)."""
    return settings.SHOP_CARD_PAYMENT_VARIANT


def _lock_payable(order: Order) -> Order:
    locked = Order.objects.select_for_update().get(pk=order.pk)
    if locked.status == OrderStatus.CANCELLED:
        raise PaymentRefused(f"Order {locked.number} was cancelled and cannot be paid.")
    if locked.status != OrderStatus.AWAITING_PAYMENT:
        raise PaymentRefused(f"Order {locked.number} is already paid.")
    return locked


def payment_start(*, order: Order) -> Payment:
    """The card payment attempt for `order`: its live attempt if it has one (a form sent
    twice, a page reloaded), otherwise a new one for the order's total. Raises
    PaymentRefused when the order is not awaiting payment or no card provider is set up."""
    variant = card_payment_variant()
    if not variant:
        raise PaymentRefused("Card payments are not available at the moment.")
    with transaction.atomic():
        locked = _lock_payable(order)
        live = (
            Payment.objects.filter(
                order=locked,
                variant=variant,
                status__in=LIVE_STATUSES,
                total=locked.total.amount,
                currency=pricing.CURRENCY,
            )
            .order_by("-created", "-id")
            .first()
        )
        if live is not None:
            return live
        return Payment.objects.create(
            order=locked,
            variant=variant,
            currency=pricing.CURRENCY,
            total=locked.total.amount,
            delivery=locked.postage.amount,
            tax=locked.gst.amount,
            description=f"Bookshop order {locked.number}",
            billing_email=locked.email,
        )


def order_choose_bank_transfer(*, order: Order) -> Order:
    """The customer will pay `order` by bank transfer: it keeps its stock, awaiting
    payment, until staff mark it paid or cancel it."""
    details = bank_transfer_details()
    if details is None:
        raise PaymentRefused("Bank transfer is not available at the moment.")
    with transaction.atomic():
        locked = _lock_payable(order)
        if not locked.bank_transfer:
            locked.bank_transfer = True
            locked.save(update_fields=["bank_transfer"])
            # Where to pay, by email, once (choosing again sends nothing more).
            emails.order_bank_transfer_send(order=locked, details=details)
    order.bank_transfer = True
    return order


def payment_settle(*, payment: Payment) -> None:
    """Act once on a payment the provider has confirmed: mark its order paid, or, when the
    order no longer awaits payment (cancelled, or already paid another way), refund the
    payment in full after this transaction commits. A repeated confirmation (a replayed
    callback, a webhook sent twice) finds the payment settled and changes nothing.

    `payment` is the provider's own instance (it may save it again), so the fields written
    here are set on it as well as in the database."""
    if payment.status != PaymentStatus.CONFIRMED:
        return
    with transaction.atomic():
        # The order's row first, then the payment's, as everywhere else.
        order = Order.objects.select_for_update().get(pk=payment.order_id)
        locked = Payment.objects.select_for_update().get(pk=payment.pk)
        if locked.settled_at is not None:
            payment.settled_at, payment.outcome = locked.settled_at, locked.outcome
            return
        if payment.captured_amount <= 0:
            payment.captured_amount = payment.total  # cards are charged, not pre-authorised
        refund_reason = ""
        if order.status != OrderStatus.AWAITING_PAYMENT:
            refund_reason = f"The order was {order.get_status_display().lower()} when it came."
        elif payment.total != order.total.amount:
            refund_reason = "The payment was not for the order's total."
        else:
            try:
                order_mark_paid(
                    order=order,
                    by=None,
                    note=f"Paid by card: payment {payment.pk} ({payment.variant}) "
                    f"{pricing.format_aud(pricing.aud(payment.total))}",
                )
            except TransitionRefused as refused:
                refund_reason = str(refused)
        payment.settled_at = timezone.now()
        payment.outcome = f"{REFUND_DUE}{refund_reason}" if refund_reason else "Paid the order."
        payment.save(update_fields=["captured_amount", "settled_at", "outcome"])
        if refund_reason:
            logger.warning(
                "Payment %s confirmed for order %s, which no longer awaits payment: refunding",
                payment.pk,
                order.number,
            )
            from shop.payments.jobs import refund_unneeded_payment

            payment_id = payment.pk
            transaction.on_commit(lambda: refund_unneeded_payment.enqueue(payment_id=payment_id))


def payment_refund_unneeded(*, payment: Payment) -> None:
    """Give back in full a confirmed payment its order did not need (see payment_settle).
    Raises RefundFailed when the provider refuses."""
    with transaction.atomic():
        Order.objects.select_for_update().filter(pk=payment.order_id).values_list("pk").first()
        locked = Payment.objects.select_for_update().get(pk=payment.pk)
        amount = locked.refundable_amount
        if amount <= 0:
            return
        reason = locked.outcome.removeprefix(REFUND_DUE)
        _refund(locked, amount, reason=reason)
        locked.outcome = f"Refunded in full: {reason}"
        locked.save(update_fields=["outcome"])


def payment_refund(*, order: Order, amount: Money) -> None:
    """Refund `amount` of what `order`'s confirmed card payments captured, through their
    provider (newest payment first). An order paid by bank transfer has nothing to refund
    through a provider: staff transfer the money back themselves. Raises RefundFailed,
    refunding nothing, when a card order has no confirmed payment, when
    the amount is not a positive AUD amount or is more than can be refunded; and, with
    what was refunded so far, when the provider refuses."""
    value = _refund_value(amount)
    with transaction.atomic():
        Order.objects.select_for_update().filter(pk=order.pk).values_list("pk").first()
        payments = list(
            Payment.objects.select_for_update()
            .filter(order_id=order.pk, status=PaymentStatus.CONFIRMED)
            .order_by("pk")
        )
        if not payments:
            if order.bank_transfer:
                # Money that came by bank transfer goes back the same way, sent by staff
                # from the shop's bank (admin tells them so); the order records it.
                return
            raise RefundFailed(f"Order {order.number} has no card payment to refund.")
        refundable = sum((payment.refundable_amount for payment in payments), Decimal("0"))
        if value > refundable:
            raise RefundFailed(
                f"At most {pricing.format_aud(pricing.aud(refundable))} of order "
                f"{order.number} can be refunded, not {pricing.format_aud(pricing.aud(value))}."
            )
        remaining = value
        for payment in sorted(payments, key=lambda p: p.pk, reverse=True):
            part = min(remaining, payment.refundable_amount)
            if part <= 0:
                continue
            try:
                _refund(payment, part, reason=f"Refund on order {order.number}")
            except RefundFailed as failed:
                done = value - remaining
                if done:
                    raise RefundFailed(
                        f"{failed} {pricing.format_aud(pricing.aud(done))} was refunded before it."
                    ) from failed
                raise
            remaining -= part
            if remaining <= 0:
                break


def _refund_value(amount: Money) -> Decimal:
    if not isinstance(amount, Money) or str(amount.currency) != pricing.CURRENCY:
        raise RefundFailed("A refund is an amount in Australian dollars.")
    value = pricing.aud(amount.amount).amount
    if value <= 0:
        raise RefundFailed("A refund must be more than $0.00.")
    return value


def _refund(payment: Payment, amount: Decimal, *, reason: str) -> None:
    """Refund `amount` of a locked, confirmed payment through its provider and record it."""
    try:
        payment.refund(amount)
    except (PaymentError, ValueError) as error:
        logger.error("Refund of %s on payment %s refused: %s", amount, payment.pk, error)
        raise RefundFailed(f"The payment provider refused the refund: {error}") from error
    PaymentRefund.objects.create(payment=payment, amount=pricing.aud(amount), reason=reason)


def payment_refresh(*, payment: Payment) -> Payment:
    """Ask the provider for a live payment's status, for a customer back from the
    provider's page before its callback came (providers that can be asked, such as
    Stripe). The provider's answer, not the customer's browser, confirms it."""
    if payment.status != PaymentStatus.WAITING or not payment.transaction_id:
        return payment
    try:
        provider = provider_factory(payment.variant, payment)
    except ValueError:
        return payment
    status = getattr(provider, "status", None)
    if status is None:
        return payment
    try:
        with transaction.atomic():
            status(payment)
    except Exception:  # the provider is unreachable: its callback will still come
        logger.exception("Could not ask the provider about payment %s", payment.pk)
    return payment
