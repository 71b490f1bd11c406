"""Paying for orders: card payments through django-payments (its providers, callbacks and
refunds), and bank transfer with the details staff keep in admin."""
