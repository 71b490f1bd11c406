"""The shop's account pages, under /account/ (allauth's own are under /accounts/)."""

from django.urls import path

from shop.accounts import views

urlpatterns = [
    path("", views.account_overview, name="account-overview"),
    path("close/", views.account_close_view, name="account-close"),
]
