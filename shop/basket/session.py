"""Which basket a request has: the only code that touches request.session. A visitor's
basket id lives in their session; a signed-in customer's basket is tied to their account,
so it follows them to other devices and outlives the session."""

from django.contrib import messages
from django.contrib.auth.models import AbstractBaseUser
from django.db.models import Sum
from django.http import HttpRequest

from shop.basket.rules import line_copies_kept_sql
from shop.basket.selectors import BasketKey
from shop.basket.services import basket_merge
from shop.models import Basket

SESSION_KEY = "basket_id"


def basket_get(*, request: HttpRequest) -> Basket | None:
    """The request's basket, or None when it has none yet (no query for a visitor who
    never added anything)."""
    basket_id = request.session.get(SESSION_KEY)
    user = request.user if request.user.is_authenticated else None
    if basket_id is not None:
        basket = Basket.objects.filter(pk=basket_id, user=user).first()
        if basket is not None:
            return basket
    if user is not None:
        basket = Basket.objects.filter(user=user).first()
        if basket is not None:
            request.session[SESSION_KEY] = basket.pk
        return basket
    return None


def basket_owner(request: HttpRequest) -> AbstractBaseUser | None:
    """Whose basket a new one would be: the signed-in customer, or None for a visitor."""
    return request.user if request.user.is_authenticated else None


def basket_remember(request: HttpRequest, basket_id: int) -> None:
    """Keep the basket's id in the session, for the visitor's next request."""
    request.session[SESSION_KEY] = basket_id


def basket_key(request: HttpRequest) -> BasketKey | None:
    """Which lines are the request's, found without reading the basket first: the
    customer's, or the visitor's session basket (unless it has since gone to an account);
    None for a visitor who never added anything. This finds the basket `basket_get` does:
    a customer has one basket at most."""
    if request.user.is_authenticated:
        return BasketKey(user_id=request.user.pk)
    basket_id = request.session.get(SESSION_KEY)
    return None if basket_id is None else BasketKey(basket_id=basket_id, visitor=True)


def header_item_count(request: HttpRequest) -> int:
    """Copies in the request's basket, for the header: one query at most, none for a
    visitor who never added anything. Counts what the basket page would keep."""
    key = basket_key(request)
    if key is None:
        return 0
    return key.lines().aggregate(count=Sum(line_copies_kept_sql()))["count"] or 0


def basket_adopt(*, request: HttpRequest, user: AbstractBaseUser) -> int:
    """After `user` signs in: merge the visitor basket from the session into theirs.
    Returns the number of copies moved."""
    basket_id = request.session.get(SESSION_KEY)
    visitor = Basket.objects.filter(pk=basket_id, user__isnull=True).first() if basket_id else None
    own = Basket.objects.filter(user=user).first()
    if visitor is None:
        if own is not None:
            request.session[SESSION_KEY] = own.pk
        else:
            request.session.pop(SESSION_KEY, None)
        return 0
    if own is None:
        Basket.objects.filter(pk=visitor.pk).update(user=user)
        return sum(visitor.lines.values_list("quantity", flat=True))
    moved = basket_merge(source=visitor, target=own)
    request.session[SESSION_KEY] = own.pk
    return moved


def merge_basket_on_login(sender, request: HttpRequest | None, user, **kwargs) -> None:
    """user_logged_in receiver: bring the visitor's basket along, and say so."""
    if request is None or not hasattr(request, "session"):
        return
    moved = basket_adopt(request=request, user=user)
    if moved:
        copies = "a book" if moved == 1 else f"{moved} books"
        messages.info(request, f"We have added {copies} from before you signed in to your basket.")
