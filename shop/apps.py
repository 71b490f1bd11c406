from django.apps import AppConfig


class ShopConfig(AppConfig):
    name = "shop"
    verbose_name = "Shop"

    def ready(self) -> None:
        from django.contrib.auth.signals import user_logged_in

        from shop import checks  # noqa: F401 - registers the shop's system checks
        from shop.basket.session import merge_basket_on_login

        user_logged_in.connect(merge_basket_on_login, dispatch_uid="shop-merge-basket")
