"""Staff admin for payments: the bank transfer details (edited, and enabled, by staff), and
card payments with their refunds, read-only (providers and services write them). The
order's page shows its payments through PaymentInline."""

from django.contrib import admin
from django.http import HttpRequest

from shop.payments.models import BankTransferDetails, Payment, PaymentRefund

PAYMENT_FIELDS = [
    "created",
    "variant",
    "status",
    "total",
    "captured_amount",
    "transaction_id",
    "message",
    "settled_at",
    "outcome",
]


class ReadOnlyMixin:
    def has_add_permission(self, request: HttpRequest, obj=None) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj=None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj=None) -> bool:
        return False


@admin.register(BankTransferDetails)
class BankTransferDetailsAdmin(admin.ModelAdmin):
    list_display = ["account_name", "bsb", "account_number", "active", "updated_at"]
    list_filter = ["active"]


class PaymentRefundInline(ReadOnlyMixin, admin.TabularInline):
    model = PaymentRefund
    fields = ["created_at", "amount", "reason"]
    readonly_fields = fields
    extra = 0


class PaymentInline(ReadOnlyMixin, admin.TabularInline):
    """An order's card payment attempts, on the order's admin page."""

    model = Payment
    fields = PAYMENT_FIELDS
    readonly_fields = fields
    extra = 0
    show_change_link = True


@admin.register(Payment)
class PaymentAdmin(ReadOnlyMixin, admin.ModelAdmin):
    list_display = ["pk", "order", "created", "variant", "status", "total", "captured_amount"]
    list_filter = ["status", "variant", "created"]
    list_select_related = ["order"]
    search_fields = ["order__number", "transaction_id", "token"]
    fields = ["order", *PAYMENT_FIELDS, "currency", "token"]
    readonly_fields = fields
    inlines = [PaymentRefundInline]
