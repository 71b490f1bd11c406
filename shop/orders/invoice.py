"""What an order's page and its emails say about it: whether it is a tax invoice (an
order once paid), the shop's identity as the seller, the buyer's details a tax invoice of
$1,000 or more must show, the status in words, and the order's address on the web.

The ATO's rule for a tax invoice: the seller's name and ABN, the date, what was sold with
its quantity and price, the GST included in the total and, from $1,000, the buyer's
identity (their name, and their ABN when they gave one)."""

from dataclasses import dataclass
from decimal import Decimal

from django.conf import settings
from django.urls import reverse

from shop.models import Order, OrderLine, OrderStatus

# From payment on, an order's page and confirmation are its tax invoice (a refunded order
# keeps the invoice for the sale it refunded).
TAX_INVOICE_STATUSES = frozenset(
    {
        OrderStatus.PAID,
        OrderStatus.PICKING,
        OrderStatus.DISPATCHED,
        OrderStatus.DELIVERED,
        OrderStatus.REFUNDED,
    }
)
# A tax invoice for a total of this much or more names the buyer.
BUYER_IDENTITY_FROM = Decimal("1000.00")


@dataclass(frozen=True)
class Seller:
    """The shop as the seller on its invoices (settings SHOP_*)."""

    name: str
    abn: str
    address_lines: tuple[str, ...]
    email: str
    phone: str


@dataclass(frozen=True)
class Invoice:
    """An order as its page and emails present it."""

    order: Order
    lines: list[OrderLine]
    seller: Seller
    is_tax_invoice: bool
    names_buyer: bool
    buyer_abn: str
    status: str
    status_note: str
    url: str

    @property
    def awaiting_payment(self) -> bool:
        return self.order.status == OrderStatus.AWAITING_PAYMENT

    @property
    def cancelled(self) -> bool:
        return self.order.status == OrderStatus.CANCELLED

    @property
    def delivery_address_lines(self) -> list[str]:
        order = self.order
        place = " ".join(
            part
            for part in (order.delivery_suburb, order.delivery_state, order.delivery_postcode)
            if part
        )
        lines = [order.delivery_name, order.delivery_line1, order.delivery_line2, place]
        return [line for line in lines if line]


def seller() -> Seller:
    return Seller(
        name=settings.SHOP_NAME,
        abn=format_abn(settings.SHOP_ABN),
        address_lines=tuple(settings.SHOP_ADDRESS.splitlines()),
        email=settings.SHOP_EMAIL,
        phone=settings.SHOP_PHONE,
    )


def format_abn(value: str) -> str:
    """An ABN as it is printed: 53 004 085 616 (as given when it is not 11 digits)."""
    digits = value.replace(" ", "")
    if len(digits) != 11 or not digits.isdigit():
        return value
    return f"{digits[:2]} {digits[2:5]} {digits[5:8]} {digits[8:]}"


def order_url(order: Order) -> str:
    """The order's page as an absolute address (for email), through its token only."""
    return settings.SHOP_URL + reverse("shop:order-detail", args=[order.token])


def status_note(order: Order) -> str:
    """A sentence for the customer on where the order stands."""
    collect = order.click_and_collect
    match order.status:
        case OrderStatus.AWAITING_PAYMENT if order.bank_transfer:
            return (
                "We are waiting for your payment by bank transfer. Please use your order "
                f"number, {order.number}, as the payment reference; we will send your "
                "tax invoice once it arrives."
            )
        case OrderStatus.AWAITING_PAYMENT:
            return "We are waiting for your payment. Your order is not paid yet."
        case OrderStatus.PAID:
            return "Paid, thank you. We are getting your order ready."
        case OrderStatus.PICKING:
            return "We are packing your order."
        case OrderStatus.DISPATCHED if collect:
            return "Your order is ready to collect from the shop."
        case OrderStatus.DISPATCHED:
            return "Your order is on its way."
        case OrderStatus.DELIVERED if collect:
            return "You collected this order."
        case OrderStatus.DELIVERED:
            return "Your order was delivered."
        case OrderStatus.CANCELLED:
            return "This order was cancelled."
        case OrderStatus.REFUNDED:
            return "This order was refunded."
    return ""


def invoice_for(order: Order) -> Invoice:
    """Everything the order's page and emails show (its lines read once, in order)."""
    is_tax_invoice = order.status in TAX_INVOICE_STATUSES
    return Invoice(
        order=order,
        lines=list(order.lines.all()),
        seller=seller(),
        is_tax_invoice=is_tax_invoice,
        # From $1,000 the buyer must be named; below it a business's ABN, given for its
        # invoice, is shown with its name too.
        names_buyer=is_tax_invoice
        and (order.total.amount >= BUYER_IDENTITY_FROM or bool(order.buyer_abn)),
        buyer_abn=format_abn(order.buyer_abn) if order.buyer_abn else "",
        status=order.get_status_display(),
        status_note=status_note(order),
        url=order_url(order),
    )
