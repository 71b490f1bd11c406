"""The customer's own pages beside allauth's: "Your account" (their orders) and closing
the account. Both need a signed-in customer and are never cached."""

from django.contrib import messages
from django.contrib.auth import logout
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods, require_safe

from shop.accounts.forms import CloseAccountForm
from shop.accounts.selectors import customer_orders, verified_emails
from shop.accounts.services import account_close


def _private(response: HttpResponse) -> HttpResponse:
    response["Cache-Control"] = "private, no-store"
    response["X-Robots-Tag"] = "noindex"
    return response


@require_safe
@never_cache
@login_required
def account_overview(request: HttpRequest) -> HttpResponse:
    orders = list(customer_orders(user=request.user))
    context = {
        "orders": orders,
        "verified": bool(verified_emails(user=request.user)),
    }
    return _private(render(request, "account/overview.html", context))


@require_http_methods(["GET", "HEAD", "POST"])
@never_cache
@login_required
def account_close_view(request: HttpRequest) -> HttpResponse:
    form = CloseAccountForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        account_close(user=request.user)
        logout(request)
        messages.success(
            request, "Your account is closed. Your orders are kept without your details."
        )
        return redirect("shop:home")
    return _private(render(request, "account/close.html", {"form": form}))
