"""Orders: placing one from a basket under the books' locks (services.py)."""
