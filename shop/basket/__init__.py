"""The basket: session.py (which basket a request has), selectors.py (reads), services.py
(writes), rules.py (the purchase limit)."""
