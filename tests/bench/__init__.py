"""Tests of the benchmark harness's pure parts (no gunicorn, wrk or database)."""
