"""What the basket's web tests share: its URLs, reading the header count and the messages
from a page (through tests.html), looking into baskets, and filling one."""

from django.http import HttpResponse
from django.test import Client
from django.urls import reverse

from catalogue.models import Book
from shop.basket import services as basket_services
from shop.basket import session as basket_session
from shop.models import Basket, BasketLine
from tests.factories import AuthorFactory, BookFactory, ContributionFactory
from tests.html import Element, parse, start_tags

BASKET_URL = "/basket/"
ADD_URL = "/basket/add/"
PASSWORD = "correct-horse-battery"


def header_count(response: HttpResponse) -> int:
    return int(parse(response).find("span", css_class="basket-count").text())


def messages_in(response: HttpResponse) -> list[str]:
    """The messages shown on the page, as a customer reads them."""
    return [item.text() for item in parse(response).find_all("li", css_class="message")]


def everything_in_baskets() -> list[tuple[int, int | None, int, int]]:
    """Every line of every basket: (basket, owner, book, quantity)."""
    return list(
        BasketLine.objects.order_by("basket_id", "book_id").values_list(
            "basket_id", "basket__user_id", "book_id", "quantity"
        )
    )


def basket_of(client: Client) -> Basket | None:
    basket_id = client.session.get(basket_session.SESSION_KEY)
    return Basket.objects.filter(pk=basket_id).first() if basket_id else None


def lines_of(client: Client) -> list[tuple[str, int]]:
    basket = basket_of(client)
    if basket is None:
        return []
    return [(line.book.title, line.quantity) for line in basket.lines.select_related("book")]


def add(client: Client, book: Book, quantity: int | str = 1, **extra) -> HttpResponse:
    """Add to the basket as a setup step: the "Added ..." message is dropped so that it does
    not show up among the messages a test looks at."""
    response = client.post(ADD_URL, {"book": book.pk, "quantity": quantity, **extra})
    client.cookies.pop("messages", None)
    return response


def only_line(client: Client) -> BasketLine:
    return basket_of(client).lines.get()


def update_url(line_id: int | str) -> str:
    return f"/basket/lines/{line_id}/"


def remove_url(line_id: int | str) -> str:
    return f"/basket/lines/{line_id}/remove/"


CUSTOMER_EMAIL = "reader@example.com"


def sign_in(client: Client, email: str = CUSTOMER_EMAIL) -> HttpResponse:
    """Sign in through the shop's sign-in page (allauth's), as a customer does."""
    return client.post(
        reverse("account_login"), {"login": email, "password": PASSWORD}, follow=True
    )


WHOLE_NUMBER = "Enter a whole number of copies, such as 1 or 2."
NOT_IN_CATALOGUE = "Sorry, that book is not in our catalogue."
NOT_IN_BASKET = {
    "update": "That book is no longer in your basket.",
    "remove": "That book was not in your basket.",
}
BAD_QUANTITIES = [
    ("abc", WHOLE_NUMBER),
    ("-1", "Choose at least one copy."),
    ("0", "Choose at least one copy."),
    ("1.5", WHOLE_NUMBER),
    ("1e3", WHOLE_NUMBER),
    ("99999999999999999999999", "That is more copies than we can sell in one order."),
    ("", "Enter how many copies you want."),
    (None, "Enter how many copies you want."),
]


def fill_basket(client: Client, count: int) -> None:
    basket = Basket.objects.create()
    author = AuthorFactory()
    for _ in range(count):
        book = BookFactory(stock=5)
        ContributionFactory(book=book, author=author)
        ContributionFactory(book=book, role="translator")
        basket_services.basket_add(basket=basket, book_id=book.pk, quantity=2)
    session = client.session
    session[basket_session.SESSION_KEY] = basket.pk
    session.save()


def visible_text(response: HttpResponse) -> list[object]:
    """The page's elements and text, without its CSRF tokens (new for every response)."""
    elements = [
        (element.tag, {k: v for k, v in element.attrs.items() if not _is_csrf_token(element, k)})
        for element in start_tags(response)
    ]
    return [*elements, parse(response).text()]


def _is_csrf_token(element: Element, attribute: str) -> bool:
    return attribute == "value" and element.get("name") == "csrfmiddlewaretoken"


def only_line_of(client: Client, book: Book) -> BasketLine:
    return basket_of(client).lines.get(book=book)
