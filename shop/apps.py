from django.apps import AppConfig


class ShopConfig(AppConfig):
    name = "shop"
    verbose_name = "Shop"

    def ready(self) -> None:
        from django.contrib.auth.signals import user_logged_in
        from payments.signals import status_changed

        from shop import checks  # noqa: F401 - registers the shop's system checks
        from shop.basket.session import merge_basket_on_login
        from shop.payments.receivers import on_payment_status_changed

        user_logged_in.connect(merge_basket_on_login, dispatch_uid="shop-merge-basket")
        status_changed.connect(on_payment_status_changed, dispatch_uid="shop-payment-settle")
