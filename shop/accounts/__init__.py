"""Customer accounts on django-allauth: its adapter (email through the shop's queue), the
"Your account" page and closing an account."""
