"""Django's Redis cache backend, keeping one redis.Redis client per connection pool.

Django's RedisCacheClient builds a new redis.Redis object for every command (the object
copies some 170 response callbacks as it is made); on a cached page, which is one cache
command, that was a tenth of the page's time in bench/profile_page.py. The client objects
are thread-safe and share the same pools, so keeping them is safe.

This overrides a private part of Django (`RedisCacheClient.get_client` and the pool
helpers it uses): tests/shop/test_cache_backend.py fails loudly when Django changes them."""

from django.core.cache.backends.redis import RedisCache, RedisCacheClient
from django.utils.functional import cached_property


class PooledClientRedisCacheClient(RedisCacheClient):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._clients = {}

    def get_client(self, key=None, *, write=False):
        index = self._get_connection_pool_index(write)
        client = self._clients.get(index)
        if client is None:
            pool = self._get_connection_pool(write)
            client = self._clients[index] = self._client(connection_pool=pool)
        return client


class PooledRedisCache(RedisCache):
    @cached_property
    def _cache(self):
        return PooledClientRedisCacheClient(self._servers, **self._options)
