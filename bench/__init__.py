"""The benchmark harness: bench/run drives the shop under gunicorn with wrk (see README)."""
