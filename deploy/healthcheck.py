"""Exit 0 when the web process answers 200 on /healthz, 1 otherwise (docker-compose healthcheck).

Plain standard library: the image has no curl. Django answers 400 to a Host it
does not know, so the request names the first of ALLOWED_HOSTS (``*`` and
``.example.org`` forms included) rather than 127.0.0.1.

Usage: ``python deploy/healthcheck.py [URL]``, default http://127.0.0.1:8000/healthz.
"""

import os
import sys
import urllib.error
import urllib.request


def host_header() -> str:
    hosts = [h.strip() for h in os.environ.get("ALLOWED_HOSTS", "").split(",") if h.strip()]
    for host in hosts:
        if host != "*":
            return host.lstrip(".")
    return "localhost"


def main(url: str) -> int:
    request = urllib.request.Request(url, headers={"Host": host_header()})
    try:
        # The URL is our own (the compose healthcheck's argument): bandit B310 does not apply.
        with urllib.request.urlopen(request, timeout=5) as response:  # nosec B310
            body = response.read().decode()
            status = response.status
    except urllib.error.HTTPError as error:  # 503 names the service that is down
        body, status = error.read().decode(errors="replace"), error.code
    except OSError as error:
        print(f"unhealthy: {error}", file=sys.stderr)
        return 1
    print(status, body)
    return 0 if status == 200 else 1


if __name__ == "__main__":
    sys.exit(main(sys.argv[1] if len(sys.argv) > 1 else "http://127.0.0.1:8000/healthz"))
