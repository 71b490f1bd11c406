"""The customer's order page, reached through the order's token alone: its tax invoice
once paid, otherwise where the order stands. Never page-cached, never stored by a browser
or a proxy, never indexed."""

from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.views.decorators.http import require_safe

from shop.models import Order
from shop.orders.invoice import invoice_for


@require_safe
def order_detail(request: HttpRequest, token: str) -> HttpResponse:
    order = get_object_or_404(Order, token=token)
    invoice = invoice_for(order)
    response = render(request, "shop/order_detail.html", {"invoice": invoice, "order": order})
    # The page is the customer's own: a shared cache or the browser's history keeps no copy.
    response["Cache-Control"] = "private, no-store"
    response["X-Robots-Tag"] = "noindex"
    return response
