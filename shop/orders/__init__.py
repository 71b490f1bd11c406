"""Orders: placing one from a basket under the books' locks (services.py); its life after
that, the only code that changes its status (lifecycle.py); the job that releases orders
not paid in time (jobs.py); staff's forms for the order's actions in admin (forms.py)."""
