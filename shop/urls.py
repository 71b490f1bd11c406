"""The storefront's URLs, under the `shop` namespace (included by bookshop.urls)."""

from django.urls import path, register_converter

from shop import views
from shop.checkout import views as checkout_views
from shop.orders import views as order_views
from shop.payments import views as payment_views


class ISBN13Converter:
    regex = r"97[89][0-9]{10}"

    def to_python(self, value: str) -> str:
        return value

    def to_url(self, value: str) -> str:
        return value


register_converter(ISBN13Converter, "isbn13")

app_name = "shop"
urlpatterns = [
    path("", views.home, name="home"),
    path("books/", views.book_list, name="book-list"),
    path("books/<slug:slug>-<isbn13:isbn>/", views.book_detail, name="book-detail"),
    path("authors/<slug:slug>/", views.author_detail, name="author-detail"),
    path("isbn/<str:isbn>/", views.isbn_lookup, name="isbn-lookup"),
    path("basket/", views.basket_detail, name="basket"),
    path("basket/add/", views.basket_add, name="basket-add"),
    path("basket/lines/<int:line_id>/", views.basket_update, name="basket-update"),
    path("basket/lines/<int:line_id>/remove/", views.basket_remove, name="basket-remove"),
    # Paying for an order (shop.payments).
    path("orders/<slug:token>/pay/", payment_views.order_pay, name="order-pay"),
    path("orders/<slug:token>/pay/card/", payment_views.order_pay_card, name="order-pay-card"),
    path(
        "orders/<slug:token>/pay/card/<uuid:payment>/",
        payment_views.payment_form,
        name="order-pay-card-form",
    ),
    path(
        "orders/<slug:token>/pay/bank-transfer/",
        payment_views.order_pay_bank_transfer,
        name="order-pay-bank-transfer",
    ),
    path("orders/<slug:token>/", order_views.order_detail, name="order-detail"),
    path("orders/<slug:token>/change/", checkout_views.order_change, name="order-change"),
    path("checkout/", checkout_views.checkout, name="checkout"),
    path("checkout/delivery/", checkout_views.checkout_delivery, name="checkout-delivery"),
    path("checkout/review/", checkout_views.checkout_review, name="checkout-review"),
]
