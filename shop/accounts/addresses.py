"""Writes to a customer's saved addresses: add, change, delete, make default. Each locks
the customer's addresses so that two at once still leave at most one default (the
database's constraint is the backstop)."""

from django.contrib.auth.models import AbstractBaseUser
from django.db import transaction

from shop.accounts.models import SavedAddress

FIELDS = ("name", "line1", "line2", "suburb", "state", "postcode", "phone")


def _lock(user: AbstractBaseUser) -> list[SavedAddress]:
    return list(SavedAddress.objects.filter(user=user).order_by("pk").select_for_update())


def _clear_default(user: AbstractBaseUser, *, keep: SavedAddress | None = None) -> None:
    others = SavedAddress.objects.filter(user=user, is_default=True)
    if keep is not None and keep.pk:
        others = others.exclude(pk=keep.pk)
    others.update(is_default=False)


@transaction.atomic
def address_create(*, user: AbstractBaseUser, fields: dict, is_default: bool) -> SavedAddress:
    """Save a new address; the customer's first one is their default."""
    existing = _lock(user)
    is_default = is_default or not existing
    if is_default:
        _clear_default(user)
    values = {name: fields.get(name, "") for name in FIELDS}
    return SavedAddress.objects.create(user=user, is_default=is_default, **values)


@transaction.atomic
def address_update(*, address: SavedAddress, fields: dict, is_default: bool) -> SavedAddress:
    _lock(address.user)
    for name in FIELDS:
        setattr(address, name, fields.get(name, ""))
    if is_default:
        _clear_default(address.user, keep=address)
        address.is_default = True
    address.save()
    return address


@transaction.atomic
def address_make_default(*, address: SavedAddress) -> None:
    _lock(address.user)
    _clear_default(address.user, keep=address)
    SavedAddress.objects.filter(pk=address.pk).update(is_default=True)


@transaction.atomic
def address_delete(*, address: SavedAddress) -> None:
    """Delete the address; when it was the default, the oldest remaining one becomes it."""
    _lock(address.user)
    was_default = address.is_default
    user = address.user
    address.delete()
    if was_default:
        oldest = SavedAddress.objects.filter(user=user).order_by("created_at", "id").first()
        if oldest is not None:
            SavedAddress.objects.filter(pk=oldest.pk).update(is_default=True)


def default_address(*, user: AbstractBaseUser) -> SavedAddress | None:
    return SavedAddress.objects.filter(user=user, is_default=True).first()
