"""Deployment checks of our own, run by ``manage.py check --deploy``."""

from django.conf import settings
from django.core.checks import Tags, Warning, register


@register(Tags.security, Tags.caches, deploy=True)
def shared_cache(app_configs, **kwargs) -> list[Warning]:
    """allauth counts failed logins in the cache: each process must see the same counts."""
    backend = settings.CACHES["default"]["BACKEND"]
    if backend.endswith(("LocMemCache", "DummyCache")):
        return [
            Warning(
                "The cache is not shared between processes, so the login rate limits "
                "are counted per process.",
                hint="Set REDIS_URL: the cache then lives in Redis.",
                id="mentoring.W001",
            )
        ]
    return []
