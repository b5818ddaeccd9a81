"""``manage.py check --deploy``: the rate limit of the open endpoints needs a cache every process shares."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core import checks

PER_PROCESS = ("django.core.cache.backends.locmem.LocMemCache", "django.core.cache.backends.dummy.DummyCache")


@checks.register(checks.Tags.security, deploy=True)
def check_shared_cache(app_configs: Any = None, **kwargs: Any) -> list[checks.CheckMessage]:
    if settings.CACHES["default"]["BACKEND"] not in PER_PROCESS:
        return []
    return [checks.Warning(
        "未配置共享缓存：公开自助评估的访问频率限制将由每个进程各自计数，实际上限为设定值乘以进程数。",
        hint="设置 CACHE_URL=redis://<主机>:6379/<库号>（所有应用服务器和任务进程使用同一个 Redis）。",
        id="fayuan.cache.W001")]
