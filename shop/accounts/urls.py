"""The shop's account pages, under /account/ (allauth's own are under /accounts/)."""

from django.urls import path

from shop.accounts import views

urlpatterns = [
    path("", views.account_overview, name="account-overview"),
    path("close/", views.account_close_view, name="account-close"),
    path("addresses/", views.address_list, name="account-addresses"),
    path("addresses/add/", views.address_form, name="account-address-add"),
    path("addresses/<int:pk>/", views.address_form, name="account-address-edit"),
    path("addresses/<int:pk>/delete/", views.address_delete_view, name="account-address-delete"),
    path("addresses/<int:pk>/default/", views.address_default_view, name="account-address-default"),
]
