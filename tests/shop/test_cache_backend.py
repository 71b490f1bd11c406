"""shop.cache_backend keeps one redis.Redis client per pool by overriding a private part of
Django's Redis cache client. These tests fail loudly when Django changes that part, and
show the kept client works against a real Redis."""

import inspect

import pytest
from django.core.cache.backends.redis import RedisCacheClient

from shop.cache_backend import PooledRedisCache
from tests.shop.test_page_cache import redis_cache


def test_djangos_redis_client_still_builds_a_client_per_command_as_overridden():
    """If this fails, Django's RedisCacheClient changed: check whether it now keeps its
    clients itself (then drop shop/cache_backend.py) or how the override must follow."""
    source = inspect.getsource(RedisCacheClient.get_client)
    assert "self._get_connection_pool(write)" in source
    assert "self._client(connection_pool=pool)" in source
    assert list(inspect.signature(RedisCacheClient.get_client).parameters) == [
        "self",
        "key",
        "write",
    ]
    for helper in ("_get_connection_pool", "_get_connection_pool_index"):
        assert list(inspect.signature(getattr(RedisCacheClient, helper)).parameters) == [
            "self",
            "write",
        ]


def test_the_pooled_cache_reuses_one_client_and_works():
    redis_cache()  # skips (or fails where Redis is required) without a Redis server
    cache = PooledRedisCache("redis://127.0.0.1:6379/14", {"KEY_PREFIX": "bookshop-tests"})
    client = cache._cache
    assert client.get_client() is client.get_client()
    assert client.get_client(write=True) is client.get_client(write=True)
    cache.set("pooled", {"a": 1})
    assert cache.get_many(["pooled", "missing"]) == {"pooled": {"a": 1}}
    cache.set("count", 1)
    assert cache.incr("count") == 2
    cache.delete_many(["pooled", "count"])


@pytest.mark.parametrize("write", [False, True])
def test_each_pool_gets_its_own_client(write):
    cache = PooledRedisCache("redis://127.0.0.1:6379/14", {})
    client = cache._cache
    assert client.get_client(write=write).connection_pool is client._get_connection_pool(write)
