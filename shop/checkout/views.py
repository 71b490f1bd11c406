"""The checkout's pages, each an ordinary form that works without JavaScript:

1. contact and delivery (`checkout`): an email, and an Australian address or Click & Collect;
2. delivery method (`checkout_delivery`), priced for this basket;
3. review (`checkout_review`): every line and amount as it will be charged, and "Place
   order", which places the order (shop.orders.services.order_place) and hands it to
   payment. If anything changed since the customer looked, they are told what and confirm
   again: the amount charged is always the amount shown.

Guests check out as well as customers; a signed-in customer's details are filled in.
Before paying, a customer may go back and change the order (`order_change`): it is
cancelled and its books return to the basket."""

import dataclasses

from django.contrib import messages
from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods, require_POST

from catalogue.availability import Availability
from shop import holes, pricing
from shop.accounts.addresses import FIELDS as ADDRESS_FIELDS
from shop.accounts.addresses import default_address
from shop.basket import services as basket_services
from shop.basket import session as basket_session
from shop.basket.selectors import BasketSummary
from shop.checkout import session as checkout_session
from shop.checkout.forms import (
    COLLECT,
    DELIVER,
    CheckoutDetailsForm,
    DeliveryMethodForm,
    PlaceOrderForm,
    delivery_estimate,
)
from shop.models import DeliveryMethod, Order
from shop.orders.lifecycle import TransitionRefused
from shop.orders.services import OrderRefused, order_place, order_return_to_basket

STEPS = ("Your details", "Delivery", "Review and pay")


def _summary(request: HttpRequest) -> BasketSummary:
    """The basket, brought up to date as the basket page does (the checkout names no
    authors, so they are not read)."""
    summary = basket_services.basket_bring_up_to_date(
        key=basket_session.basket_key(request), authors=False
    )
    holes.basket_count_known(request, summary.item_count)
    return summary


def _empty_basket(request: HttpRequest, notices: list[str]) -> HttpResponse:
    """Back to the basket: there is nothing to check out. What emptied it (a book sold
    out, withdrawn) is told there."""
    for notice in notices:
        messages.error(request, notice)
    if not notices:
        messages.info(request, "Your basket is empty: add a book before checking out.")
    return redirect("shop:basket")


def _methods_for(checkout: checkout_session.CheckoutDetails) -> QuerySet[DeliveryMethod]:
    # A plain QuerySet rather than DeliveryMethod.objects, whose every queryset djmoney
    # wraps so that it can be filtered by a Money amount: these are filtered by flags only.
    return QuerySet(DeliveryMethod).filter(
        active=True, is_click_and_collect=checkout.click_and_collect
    )


def _dispatch_note(summary: BasketSummary) -> str:
    """When the order leaves the shop, when that is not straight away: a basket of only
    pre-orders ships when the last of them is published."""
    pre_orders = [
        line.book for line in summary.lines if line.book.availability == Availability.PRE_ORDER
    ]
    if not pre_orders:
        return ""
    last = max(book.published for book in pre_orders)
    when = f"{last.day} {last:%B %Y}"
    if len(pre_orders) == len(summary.lines):
        if len(pre_orders) == 1:
            return f"This is a pre-order: we dispatch it when it is published on {when}."
        return (
            f"These are pre-orders: we dispatch your order when the last is published, on {when}."
        )
    return (
        "Your order includes pre-orders: we dispatch the whole order together when the last "
        f"is published, on {when}."
    )


def _context(step: int, **context) -> dict:
    return {"steps": STEPS, "step": step, **context}


def _initial_details(request: HttpRequest) -> dict:
    saved = checkout_session.details_get(request)
    if saved is not None:
        how = COLLECT if saved.click_and_collect else DELIVER
        return {**dataclasses.asdict(saved.details), "how": how}
    user = request.user
    if user.is_authenticated:
        initial = {"email": user.email, "name": user.get_full_name()}
        if address := default_address(user=user):
            initial.update({name: getattr(address, name) for name in ADDRESS_FIELDS})
        return initial
    return {}


@never_cache
@require_http_methods(["GET", "HEAD", "POST"])
def checkout(request: HttpRequest) -> HttpResponse:
    """Step 1: who the order is for and where it goes."""
    summary = _summary(request)
    if not summary.lines:
        return _empty_basket(request, summary.notices)
    if request.method == "POST":
        form = CheckoutDetailsForm(request.POST)
        if form.is_valid():
            checkout_session.details_keep(
                request,
                checkout_session.CheckoutDetails(
                    details=form.details(), click_and_collect=form.click_and_collect
                ),
            )
            return redirect("shop:checkout-delivery")
    else:
        form = CheckoutDetailsForm(initial=_initial_details(request))
    return render(request, "shop/checkout_details.html", _context(1, form=form, summary=summary))


@never_cache
@require_http_methods(["GET", "HEAD", "POST"])
def checkout_delivery(request: HttpRequest) -> HttpResponse:
    """Step 2: the delivery method, each priced for this basket."""
    summary = _summary(request)
    if not summary.lines:
        return _empty_basket(request, summary.notices)
    saved = checkout_session.details_get(request)
    if saved is None:
        return redirect("shop:checkout")
    methods = _methods_for(saved)
    # Read once: the default below, the empty state and the form's choices all use it.
    offered = list(methods)
    form = DeliveryMethodForm(
        request.POST if request.method == "POST" else None,
        methods=methods,
        subtotal=summary.total,
        # The method chosen before, else the first (staff put the usual one first).
        initial={
            "method": checkout_session.method_get(request) or next((m.pk for m in offered), None)
        },
    )
    if request.method == "POST" and form.is_valid():
        checkout_session.method_keep(request, form.cleaned_data["method"].pk)
        return redirect("shop:checkout-review")
    return render(
        request,
        "shop/checkout_delivery.html",
        _context(
            2,
            form=form,
            summary=summary,
            checkout=saved,
            no_methods=not offered,
            dispatch_note=_dispatch_note(summary),
        ),
    )


@never_cache
@require_http_methods(["GET", "HEAD", "POST"])
def checkout_review(request: HttpRequest) -> HttpResponse:
    """Step 3: everything as it will be charged, and "Place order"."""
    changes: list[str] = []
    if request.method == "POST":
        outcome = _place(request)
        if isinstance(outcome, HttpResponse):
            return outcome
        changes = outcome
    summary = _summary(request)
    if not summary.lines:
        return _empty_basket(request, changes or summary.notices)
    saved = checkout_session.details_get(request)
    if saved is None:
        return redirect("shop:checkout")
    method = _methods_for(saved).filter(pk=checkout_session.method_get(request)).first()
    if method is None:
        if checkout_session.method_get(request) is not None:
            messages.error(request, "That delivery method is no longer offered: choose another.")
        return redirect("shop:checkout-delivery")
    postage = method.postage_for(summary.total)
    total = pricing.order_total(subtotal=summary.total, postage=postage)
    form = PlaceOrderForm(
        initial={"checkout": checkout_session.token_get(request), "total": total.amount}
    )
    # A refusal's changes are the news; the basket's own notices would repeat them.
    notices = changes or summary.notices
    return render(
        request,
        "shop/checkout_review.html",
        _context(
            3,
            form=form,
            summary=summary,
            notices=notices,
            refused=bool(changes),
            checkout=saved,
            method=method,
            estimate=delivery_estimate(method),
            postage=postage,
            total=total,
            gst=pricing.gst_included(total),
            dispatch_note=_dispatch_note(summary),
        ),
    )


def _place(request: HttpRequest) -> HttpResponse | list[str]:
    """Place the order the review showed: a redirect to payment, or what changed."""
    form = PlaceOrderForm(request.POST)
    if not form.is_valid():
        messages.error(request, "Please check your order and place it again.")
        return redirect("shop:checkout-review")
    token = form.cleaned_data["checkout"]
    # The same checkout sent again (a double click, a reload, an old tab) finds its order.
    placed = checkout_session.placed_order_token(request, token)
    if placed is not None:
        return redirect("shop:order-pay", token=placed)
    if token != checkout_session.token_get(request):
        messages.error(request, "Your checkout has changed since that page: please check it again.")
        return redirect("shop:checkout-review")
    saved = checkout_session.details_get(request)
    method_id = checkout_session.method_get(request)
    basket = basket_session.basket_get(request=request)
    if saved is None or method_id is None or basket is None:
        return redirect("shop:checkout")
    try:
        order = order_place(
            basket=basket,
            checkout_token=token,
            details=saved.details,
            delivery_method_id=method_id,
            expected_total=form.shown_total(),
            user=request.user,
        )
    except OrderRefused as refused:
        return refused.changes
    checkout_session.placed_keep(request, checkout_token=token, order_token=order.token)
    return redirect("shop:order-pay", token=order.token)


@require_POST
def order_change(request: HttpRequest, token: str) -> HttpResponse:
    """ "Change your order" on the pay page: the unpaid order is cancelled and its books
    go back into the basket, to change and check out again."""
    order = get_object_or_404(Order, token=token)
    try:
        reopened = order_return_to_basket(
            order=order,
            basket=basket_session.basket_get(request=request),
            owner=basket_session.basket_owner(request),
        )
    except TransitionRefused as refused:
        messages.error(request, str(refused))
        return redirect("shop:order-detail", token=order.token)
    if reopened.basket_id is not None:
        basket_session.basket_remember(request, reopened.basket_id)
    messages.success(
        request,
        f"Order {order.number} is cancelled and its books are back in your basket: change "
        "it as you like and check out again.",
    )
    for notice in reopened.notices:
        messages.error(request, notice)
    return redirect("shop:basket")
