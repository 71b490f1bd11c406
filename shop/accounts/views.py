"""The customer's own pages beside allauth's: "Your account" (their orders), their saved
addresses and closing the account. Each needs a signed-in customer and is never cached."""

from django.contrib import messages
from django.contrib.auth import logout
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from shop.accounts.addresses import (
    FIELDS,
    address_create,
    address_delete,
    address_make_default,
    address_update,
)
from shop.accounts.forms import CloseAccountForm, SavedAddressForm
from shop.accounts.models import SavedAddress
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


# --- Saved addresses --------------------------------------------------------------------


def _own_address(request: HttpRequest, pk: int) -> SavedAddress:
    """One of this customer's addresses; anyone else's is a 404."""
    return get_object_or_404(SavedAddress, pk=pk, user=request.user)


@require_safe
@never_cache
@login_required
def address_list(request: HttpRequest) -> HttpResponse:
    addresses = SavedAddress.objects.filter(user=request.user)
    return _private(render(request, "account/addresses.html", {"addresses": addresses}))


@require_http_methods(["GET", "HEAD", "POST"])
@never_cache
@login_required
def address_form(request: HttpRequest, pk: int | None = None) -> HttpResponse:
    address = _own_address(request, pk) if pk is not None else None
    if request.method == "POST":
        form = SavedAddressForm(request.POST)
        if form.is_valid():
            data = form.cleaned_data
            if address is None:
                address_create(user=request.user, fields=data, is_default=data["is_default"])
                messages.success(request, "Address saved.")
            else:
                address_update(address=address, fields=data, is_default=data["is_default"])
                messages.success(request, "Address changed.")
            return redirect("account-addresses")
    else:
        initial = {}
        if address is not None:
            initial = {name: getattr(address, name) for name in (*FIELDS, "is_default")}
        form = SavedAddressForm(initial=initial)
    context = {"form": form, "address": address}
    return _private(render(request, "account/address_form.html", context))


@require_POST
@login_required
def address_delete_view(request: HttpRequest, pk: int) -> HttpResponse:
    address_delete(address=_own_address(request, pk))
    messages.success(request, "Address deleted.")
    return redirect("account-addresses")


@require_POST
@login_required
def address_default_view(request: HttpRequest, pk: int) -> HttpResponse:
    address_make_default(address=_own_address(request, pk))
    messages.success(request, "That address is now used at checkout.")
    return redirect("account-addresses")
