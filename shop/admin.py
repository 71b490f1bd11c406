"""Staff admin for the shop: delivery methods (edited freely) and orders (read-mostly:
an order's amounts and lines are what was sold and never change here; status changes and
payment come with their own services)."""

from django.contrib import admin
from django.http import HttpRequest

from shop import pricing
from shop.admin_pages import InfoPageAdmin
from shop.models import DeliveryMethod, Order, OrderLine

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


class OrderLineInline(admin.TabularInline):
    model = OrderLine
    fields = ["title", "isbn", "format", "unit_price", "quantity", "line_total", "took_stock"]
    readonly_fields = fields
    extra = 0
    can_delete = False

    def has_add_permission(self, request: HttpRequest, obj: Order | None = None) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Order | None = None) -> bool:
        return False


@admin.register(Order)
class OrderAdmin(admin.ModelAdmin):
    list_display = ["number", "created_at", "email", "total_shown", "status"]
    list_filter = ["status", "created_at", "delivery_method"]
    search_fields = ["number", "email", "delivery_name", "lines__isbn"]
    date_hierarchy = "created_at"
    inlines = [OrderLineInline]
    readonly_fields = [
        "number",
        "created_at",
        "status",
        "user",
        "email",
        "phone",
        "delivery_name",
        "delivery_line1",
        "delivery_line2",
        "delivery_suburb",
        "delivery_state",
        "delivery_postcode",
        "delivery_method",
        "delivery_method_name",
        "delivery_method_price",
        "click_and_collect",
        "subtotal",
        "postage",
        "total",
        "gst",
    ]
    fieldsets = [
        (None, {"fields": ["number", "created_at", "status", "user"]}),
        ("Customer", {"fields": ["email", "phone"]}),
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
        ("Amounts (GST included)", {"fields": ["subtotal", "postage", "total", "gst"]}),
    ]

    @admin.display(description="total", ordering="total")
    def total_shown(self, order: Order) -> str:
        return pricing.format_aud(order.total)

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False  # orders are placed at checkout

    def has_delete_permission(self, request: HttpRequest, obj: Order | None = None) -> bool:
        return False  # an order is cancelled or refunded, never deleted
