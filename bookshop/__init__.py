"""The project's configuration: settings, the root URLconf, and the WSGI/ASGI entry points."""
