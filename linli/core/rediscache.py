"""Django's Redis cache backend, keeping one redis-py client per connection pool instead of one per operation.

Django's RedisCacheClient.get_client builds a new `redis.Redis` for every cache call, and redis-py's constructor
fills its table of ~170 response callbacks each time: ~0.2 ms of Python per call on the development machine, paid by
every cache read (the shared versions of linli.core.versioned are read on every API request). A `redis.Redis` is
thread-safe (each command takes a connection from the pool) and the pool checks the process id after a fork, so one
client per pool serves every call of the process.
"""

from __future__ import annotations

from django.core.cache.backends.redis import RedisCache as DjangoRedisCache
from django.core.cache.backends.redis import RedisCacheClient as DjangoRedisCacheClient


class RedisCacheClient(DjangoRedisCacheClient):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._clients = {}

    def get_client(self, key=None, *, write=False):
        pool = self._get_connection_pool(write)
        client = self._clients.get(id(pool))  # a pool lives as long as this object (self._pools)
        if client is None:
            client = self._clients[id(pool)] = self._client(connection_pool=pool)
        return client


class RedisCache(DjangoRedisCache):
    """settings.CACHES backend "linli.core.rediscache.RedisCache": Django's, with the client above."""

    def __init__(self, server, params):
        super().__init__(server, params)
        self._class = RedisCacheClient
