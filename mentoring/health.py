"""``/healthz``: can this process reach its database and its broker? For load balancers.

No login and no session: it answers JSON, 200 when both answer, 503 naming
what does not. The broker check opens a real connection (Redis, or the
filesystem transport's folders) with one short attempt, so a stopped Redis
fails the check within a second or so rather than hanging the probe.
"""

from django.conf import settings
from django.db import connection
from django.http import JsonResponse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET
from kombu import Connection


def _database() -> bool:
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            return cursor.fetchone() == (1,)
    except Exception:  # any failure means "not healthy", which is what we report
        return False


def _broker() -> bool:
    broker = Connection(
        settings.CELERY_BROKER_URL,
        transport_options=getattr(settings, "CELERY_BROKER_TRANSPORT_OPTIONS", {}),
        connect_timeout=1,
    )
    try:
        broker.ensure_connection(max_retries=1, timeout=1)
        return True
    except Exception:  # kombu raises the transport's own errors
        return False
    finally:
        broker.release()


@never_cache
@require_GET
def healthz(request):
    checks = {"database": _database(), "broker": _broker()}
    status = 200 if all(checks.values()) else 503
    return JsonResponse(
        {name: "ok" if healthy else "unreachable" for name, healthy in checks.items()},
        status=status,
    )
