"""Checkout: the customer's details and delivery, then review and payment (coming)."""
