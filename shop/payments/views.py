"""The pay page and its forms: an order awaiting payment is paid by card (the provider's
form or page, through django-payments) or by bank transfer. Each POST calls a service and
redirects; amounts come from the order, never from the request."""

from django.contrib import messages
from django.db import transaction
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.http import require_http_methods, require_POST, require_safe
from payments import PaymentError, PaymentStatus, RedirectNeeded

from shop import pricing
from shop.models import Order, OrderStatus
from shop.payments import services
from shop.payments.models import LIVE_STATUSES, Payment
from shop.payments.selectors import bank_transfer_details, payment_attempt

DECLINED = (
    "Your card payment was declined and nothing was charged. You can try again, with "
    "another card if you like, or choose another way to pay."
)
FAILED = (
    "Your card payment could not be completed because of a problem with the payment "
    "provider. Nothing was charged: please try again."
)
NOT_CONFIRMED = (
    "Your card payment has not been confirmed yet. If you completed it, reload this page "
    "in a moment; if not, you can pay below."
)


def _pay_page(order: Order) -> str:
    return reverse("shop:order-pay", kwargs={"token": order.token})


def _order_page(order: Order) -> str:
    return reverse("shop:order-detail", kwargs={"token": order.token})


def _attempt_notice(payment: Payment | None) -> str:
    if payment is None:
        return ""
    if payment.status == PaymentStatus.REJECTED:
        return DECLINED
    if payment.status == PaymentStatus.ERROR:
        return FAILED
    if payment.status == PaymentStatus.WAITING and payment.transaction_id:
        return NOT_CONFIRMED
    return ""


@require_safe
def order_pay(request: HttpRequest, token: str) -> HttpResponse:
    order = get_object_or_404(Order, token=token)
    attempt = payment_attempt(order=order, token=request.GET.get("attempt", ""))
    if attempt is not None and order.status == OrderStatus.AWAITING_PAYMENT:
        services.payment_refresh(payment=attempt)
        order.refresh_from_db(fields=["status"])
    if order.status not in (OrderStatus.AWAITING_PAYMENT, OrderStatus.CANCELLED):
        return redirect(_order_page(order))
    context = {
        "order": order,
        "cancelled": order.status == OrderStatus.CANCELLED,
        "card": bool(services.card_payment_variant()),
        "bank": bank_transfer_details(),
        "notice": _attempt_notice(attempt),
    }
    return render(request, "shop/order_pay.html", context)


@require_POST
def order_pay_card(request: HttpRequest, token: str) -> HttpResponse:
    order = get_object_or_404(Order, token=token)
    try:
        payment = services.payment_start(order=order)
    except services.PaymentRefused as refused:
        messages.error(request, str(refused))
        return redirect(_pay_page(order))
    return redirect("shop:order-pay-card-form", token=order.token, payment=payment.token)


@require_POST
def order_pay_bank_transfer(request: HttpRequest, token: str) -> HttpResponse:
    order = get_object_or_404(Order, token=token)
    try:
        services.order_choose_bank_transfer(order=order)
    except services.PaymentRefused as refused:
        messages.error(request, str(refused))
        return redirect(_pay_page(order))
    messages.success(
        request,
        f"Please transfer {pricing.format_aud(order.total)} to the account shown, with "
        f"{order.number} as the reference. We send your order once it reaches us.",
    )
    return redirect(f"{_pay_page(order)}#bank-transfer")


@require_http_methods(["GET", "HEAD", "POST"])
def payment_form(request: HttpRequest, token: str, payment: str) -> HttpResponse:
    """The provider's form for a live attempt (the dummy provider's outcomes), or a
    redirect to the provider's own page (Stripe's checkout)."""
    order = get_object_or_404(Order, token=token)
    get_object_or_404(Payment, order=order, token=str(payment))
    target = error = None
    with transaction.atomic():
        # One form submission at a time acts on an attempt (a double click waits here);
        # the order's row first, then the payment's, as the services lock them.
        order = Order.objects.select_for_update().get(pk=order.pk)
        attempt = Payment.objects.select_for_update().get(order=order, token=str(payment))
        if order.status != OrderStatus.AWAITING_PAYMENT or attempt.status not in LIVE_STATUSES:
            target = attempt.get_failure_url()
        else:
            try:
                form = attempt.get_form(data=request.POST if request.method == "POST" else None)
            except RedirectNeeded as needed:
                target = str(needed)
            except PaymentError as failed:
                if attempt.status in LIVE_STATUSES:
                    attempt.change_status(PaymentStatus.ERROR, str(failed))
                error = FAILED
    if error:
        messages.error(request, error)
        return redirect(_pay_page(order))
    if target:
        return redirect(target)
    return render(request, "shop/payment_form.html", {"order": order, "form": form})
