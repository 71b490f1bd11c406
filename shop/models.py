"""Basket and order models live here (see the basket issue)."""
