"""What a checkout remembers between its steps, in the visitor's session: the contact and
delivery details, the chosen delivery method, and the checkout token that makes placing
the order happen once. The only checkout code that touches request.session."""

import dataclasses
import secrets

from django.http import HttpRequest

from shop.orders.services import DeliveryDetails

DETAILS_KEY = "checkout_details"
METHOD_KEY = "checkout_method"
TOKEN_KEY = "checkout_token"  # noqa: S105 (a session key, not a secret)
PLACED_KEY = "checkout_placed"
# How many placed checkouts a session remembers, so that a form sent again from an old
# tab finds its order (the newest are kept).
PLACED_REMEMBERED = 10


@dataclasses.dataclass(frozen=True)
class CheckoutDetails:
    """The first step's answers: the order's details and whether it is collected."""

    details: DeliveryDetails
    click_and_collect: bool


def details_get(request: HttpRequest) -> CheckoutDetails | None:
    stored = request.session.get(DETAILS_KEY)
    if not isinstance(stored, dict):
        return None
    fields = {field.name for field in dataclasses.fields(DeliveryDetails)}
    try:
        details = DeliveryDetails(**{k: v for k, v in stored.items() if k in fields})
    except TypeError:  # kept by an older form of this step
        return None
    return CheckoutDetails(details=details, click_and_collect=bool(stored.get("collect")))


def details_keep(request: HttpRequest, checkout: CheckoutDetails) -> None:
    request.session[DETAILS_KEY] = {
        **dataclasses.asdict(checkout.details),
        "collect": checkout.click_and_collect,
    }


def method_get(request: HttpRequest) -> int | None:
    method_id = request.session.get(METHOD_KEY)
    return method_id if isinstance(method_id, int) else None


def method_keep(request: HttpRequest, method_id: int) -> None:
    request.session[METHOD_KEY] = method_id


def token_get(request: HttpRequest) -> str:
    """This checkout's token, made when first asked for; it stays the same until the
    order is placed, so every copy of the review page places the same order."""
    token = request.session.get(TOKEN_KEY)
    if not isinstance(token, str) or not token:
        token = request.session[TOKEN_KEY] = secrets.token_urlsafe(32)
    return token


def placed_order_token(request: HttpRequest, checkout_token: str) -> str | None:
    """The public token of the order this session placed with `checkout_token`, if any."""
    placed = request.session.get(PLACED_KEY)
    if not isinstance(placed, dict):
        return None
    return placed.get(checkout_token)


def placed_keep(request: HttpRequest, *, checkout_token: str, order_token: str) -> None:
    """Remember the order placed, and start the next checkout afresh (a new token and
    delivery method; the details are kept to fill in the form next time)."""
    placed = request.session.get(PLACED_KEY)
    placed = dict(placed) if isinstance(placed, dict) else {}
    placed[checkout_token] = order_token
    request.session[PLACED_KEY] = dict(list(placed.items())[-PLACED_REMEMBERED:])
    request.session.pop(TOKEN_KEY, None)
    request.session.pop(METHOD_KEY, None)
