"""Staff admin for the shop: delivery methods (edited freely) and orders. An order's data
is read-only here (its amounts and lines are what was sold); staff move it along with the
buttons on its page (mark paid, start picking, dispatch, mark delivered, cancel, refund),
each a POST to a small view that calls shop.orders.lifecycle, and print its packing slip.
Staff need "Can change order" to act on an order and "Can view order" to see it."""

from collections.abc import Callable
from dataclasses import dataclass

from django import forms
from django.contrib import admin, messages
from django.contrib.admin.utils import flatten_fieldsets, unquote
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.views.decorators.http import require_POST

from shop import pricing
from shop.admin_pages import InfoPageAdmin
from shop.models import DeliveryMethod, Order, OrderEvent, OrderLine, OrderStatus
from shop.orders import lifecycle
from shop.orders.forms import CancelForm, DispatchForm, RefundForm
from shop.orders.lifecycle import TransitionRefused
from shop.payments.admin import PaymentInline
from shop.payments.services import payment_refund

# How a cancellation or refund made in admin gives the customer their money back: through
# the payment provider (shop.payments.services.payment_refund, which raises to refuse).
REFUND: lifecycle.RefundFunction = payment_refund

__all__ = ["InfoPageAdmin"]


@admin.register(DeliveryMethod)
class DeliveryMethodAdmin(admin.ModelAdmin):
    list_display = [
        "name",
        "price",
        "free_above",
        "estimated_days",
        "is_click_and_collect",
        "active",
        "position",
    ]
    list_editable = ["active", "position"]
    list_filter = ["active", "is_click_and_collect"]
    search_fields = ["name"]


class OrderPartInline(admin.TabularInline):
    """A read-only part of an order's page, shown to whoever may see the order."""

    extra = 0
    can_delete = False

    def has_view_permission(self, request: HttpRequest, obj: Order | None = None) -> bool:
        return request.user.has_perm("shop.view_order") or request.user.has_perm(
            "shop.change_order"
        )

    def has_add_permission(self, request: HttpRequest, obj: Order | None = None) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Order | None = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Order | None = None) -> bool:
        return False


class OrderLineInline(OrderPartInline):
    model = OrderLine
    fields = ["title", "isbn", "format", "unit_price", "quantity", "line_total", "took_stock"]
    readonly_fields = fields


class OrderEventInline(OrderPartInline):
    model = OrderEvent
    verbose_name = "history"
    verbose_name_plural = "history"
    fields = ["at", "from_status", "to_status", "by", "note"]
    readonly_fields = fields

    def get_queryset(self, request: HttpRequest):
        return super().get_queryset(request).select_related("by")


def payment_state(order: Order) -> str:
    """Paid, awaiting (a card payment), bank transfer (awaiting it), or what came back."""
    if order.status == OrderStatus.AWAITING_PAYMENT:
        return "Bank transfer" if order.bank_transfer else "Awaiting"
    if order.status == OrderStatus.REFUNDED:
        return "Refunded"
    if order.status == OrderStatus.CANCELLED:
        return "Refunded" if order.refunded.amount > 0 else "Not paid"
    if order.refunded.amount > 0:
        return f"Paid, {pricing.format_aud(order.refunded)} refunded"
    return "Paid"


@dataclass(frozen=True)
class OrderAction:
    """A button on an order's page: its URL's slug, its label, and the form it sends."""

    slug: str
    label: str
    service: str  # its key in lifecycle.ALLOWED_FROM
    form: Callable[..., forms.Form] | None = None

    @property
    def url_name(self) -> str:
        return "shop_order_" + self.slug.replace("-", "_")

    def fits(self, order: Order) -> bool:
        if self.slug == "mark-paid" and not order.bank_transfer:
            return False  # the payment provider marks card payments paid
        return order.status in lifecycle.ALLOWED_FROM[self.service]


ACTIONS = {
    action.slug: action
    for action in [
        OrderAction("mark-paid", "Mark paid", "mark_paid"),
        OrderAction("start-picking", "Start picking", "start_picking"),
        OrderAction("dispatch", "Dispatch", "dispatch", DispatchForm),
        OrderAction("mark-delivered", "Mark delivered", "mark_delivered"),
        OrderAction("cancel", "Cancel order", "cancel", CancelForm),
        OrderAction("refund", "Refund", "refund", RefundForm),
    ]
}


def _action_form(action: OrderAction, order: Order, data=None) -> forms.Form | None:
    if action.form is None:
        return None
    if action.form is RefundForm:
        most = pricing.refundable(total=order.total, refunded=order.refunded)
        return RefundForm(data, most=most, prefix=action.slug)
    return action.form(data, prefix=action.slug)


def _by_bank_transfer(order: Order, amount) -> str:
    """What staff must still do when an order paid by bank transfer is refunded."""
    if not order.bank_transfer:
        return ""
    return (
        f" It was paid by bank transfer: transfer {pricing.format_aud(amount)} back to the "
        "customer from the shop's account."
    )


def _perform(action: OrderAction, order: Order, by, data: dict) -> str:
    """Run the action's service; return what to tell staff."""
    number = order.number
    if action.slug == "mark-paid":
        if not order.bank_transfer:
            raise TransitionRefused(
                f"Order {number} is paid online: the payment provider marks it paid."
            )
        lifecycle.order_mark_paid(order=order, by=by, note="Bank transfer received")
        return f"Order {number} is marked paid."
    if action.slug == "start-picking":
        lifecycle.order_start_picking(order=order, by=by)
        return f"Order {number} is being picked."
    if action.slug == "dispatch":
        lifecycle.order_dispatch(
            order=order, carrier=data["carrier"], tracking_number=data["tracking_number"], by=by
        )
        if not order.carrier:
            return f"Order {number} is ready to collect."
        return f"Order {number} is dispatched with {order.carrier} {order.tracking_number}."
    if action.slug == "mark-delivered":
        lifecycle.order_mark_delivered(order=order, by=by)
        return f"Order {number} is marked delivered."
    if action.slug == "cancel":
        lifecycle.order_cancel(order=order, by=by, reason=data["reason"], refund=REFUND)
        if order.refunded.amount > 0:
            done = f"Order {number} is cancelled and {pricing.format_aud(order.refunded)} refunded."
            return done + _by_bank_transfer(order, order.refunded)
        return f"Order {number} is cancelled."
    if action.slug == "refund":
        amount = data["amount"]
        lifecycle.order_refund(order=order, amount=amount, by=by, refund=REFUND, note=data["note"])
        return f"{pricing.format_aud(amount)} of order {number} is refunded." + _by_bank_transfer(
            order, amount
        )
    raise AssertionError(action.slug)


@admin.register(Order)
class OrderAdmin(admin.ModelAdmin):
    change_form_template = "admin/shop/order/change_form.html"
    list_display = ["number", "created_at", "customer", "total_shown", "status", "payment"]
    list_filter = ["status", "created_at", "delivery_method"]
    search_fields = ["number", "email", "delivery_name", "lines__isbn"]
    search_help_text = "Order number, email, name or the ISBN of a book in the order."
    date_hierarchy = "created_at"
    inlines = [OrderLineInline, OrderEventInline, PaymentInline]
    fieldsets = [
        (None, {"fields": ["number", "created_at", "status", "payment", "user"]}),
        ("Customer", {"fields": ["email", "phone", "buyer_abn"]}),
        (
            "Delivery",
            {
                "fields": [
                    "delivery_method",
                    "delivery_method_name",
                    "delivery_method_price",
                    "click_and_collect",
                    "delivery_name",
                    "delivery_line1",
                    "delivery_line2",
                    "delivery_suburb",
                    "delivery_state",
                    "delivery_postcode",
                ]
            },
        ),
        ("Dispatch", {"fields": ["carrier", "tracking_number", "dispatched_at"]}),
        (
            "Amounts (GST included)",
            {"fields": ["subtotal", "postage", "total", "gst", "refunded"]},
        ),
    ]
    # An order's data is what was sold: every field it shows is read-only.
    readonly_fields = flatten_fieldsets(fieldsets)

    @admin.display(description="customer", ordering="delivery_name")
    def customer(self, order: Order) -> str:
        return f"{order.delivery_name}, {order.email}"

    @admin.display(description="total", ordering="total")
    def total_shown(self, order: Order) -> str:
        return pricing.format_aud(order.total)

    @admin.display(description="payment")
    def payment(self, order: Order) -> str:
        return payment_state(order)

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False  # orders are placed at checkout

    def has_delete_permission(self, request: HttpRequest, obj: Order | None = None) -> bool:
        return False  # an order is cancelled or refunded, never deleted

    def get_urls(self):
        pages = [
            path(
                "<path:object_id>/packing-slip/",
                self.admin_site.admin_view(self.packing_slip_view),
                name="shop_order_packing_slip",
            ),
            *(
                path(
                    f"<path:object_id>/{action.slug}/",
                    self.admin_site.admin_view(self.action_view),
                    {"action": action.slug},
                    name=action.url_name,
                )
                for action in ACTIONS.values()
            ),
        ]
        return [*pages, *super().get_urls()]

    def change_view(self, request, object_id, form_url="", extra_context=None):
        """The order's page: its data read-only, its lines and history, and the actions
        that fit its status for staff who may change orders."""
        context = {
            "show_save": False,
            "show_save_and_continue": False,
            "show_save_and_add_another": False,
            "show_delete": False,
            "order_actions": [],
        }
        order = self.get_object(request, unquote(object_id))
        if order is not None and self.has_change_permission(request, order):
            context["order_actions"] = [
                {
                    "action": action,
                    "url": reverse(f"admin:{action.url_name}", args=[order.pk]),
                    "form": _action_form(action, order),
                }
                for action in ACTIONS.values()
                if action.fits(order)
            ]
        return super().change_view(
            request, object_id, form_url, {**context, **(extra_context or {})}
        )

    def action_view(self, request: HttpRequest, object_id: str, action: str) -> HttpResponse:
        """One action on one order (POST only). Done or refused, staff are taken back to
        the order's page with a message; a form with mistakes is shown again to correct."""
        return require_POST(self._act)(request, object_id, action)

    def _act(self, request: HttpRequest, object_id: str, action: str) -> HttpResponse:
        chosen = ACTIONS.get(action)
        if chosen is None or not object_id.isdigit():
            raise Http404("No such order or action.")
        order = get_object_or_404(Order, pk=object_id)
        if not self.has_change_permission(request, order):
            raise PermissionDenied
        form = _action_form(chosen, order, request.POST)
        if form is not None and not form.is_valid():
            context = {
                **self.admin_site.each_context(request),
                "opts": self.opts,
                "original": order,
                "title": f"{chosen.label}: order {order.number}",
                "action": chosen,
                "form": form,
                "url": request.path,
            }
            return TemplateResponse(request, "admin/shop/order/action.html", context, status=400)
        try:
            done = _perform(chosen, order, request.user, form.cleaned_data if form else {})
        except TransitionRefused as refused:
            messages.error(request, str(refused))
        else:
            messages.success(request, done)
        return redirect("admin:shop_order_change", order.pk)

    def packing_slip_view(self, request: HttpRequest, object_id: str) -> HttpResponse:
        """The order's packing slip, to print and put in the parcel: who and where, and
        each book with a box to tick; no prices."""
        if not object_id.isdigit():
            raise Http404("No such order.")
        order = get_object_or_404(Order.objects.prefetch_related("lines"), pk=object_id)
        if not self.has_view_permission(request, order):
            raise PermissionDenied
        context = {
            "order": order,
            "lines": order.lines.all(),
            "title": f"Packing slip {order.number}",
        }
        return TemplateResponse(request, "admin/shop/order/packing_slip.html", context)
