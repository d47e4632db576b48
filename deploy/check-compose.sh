#!/usr/bin/env bash
# Validate docker-compose.yml with .env.example, as docker-compose 1.29 reads it
# (CI has no Docker engine: this is the check it can run).
#
# In a scratch copy: compose wants the file named .env, and a .env at the root
# of the checkout would also be read by mentoring/settings.py (and the tests).
set -euo pipefail
cd "$(dirname "$0")/.."
command -v docker-compose >/dev/null || {
    echo "docker-compose is missing (apt-get install docker-compose)" >&2
    exit 1
}
scratch=$(mktemp -d)
trap 'rm -rf "$scratch"' EXIT
cp docker-compose.yml "$scratch/"
cp .env.example "$scratch/.env"
(cd "$scratch" && docker-compose --project-name mentoring config --quiet)
# The services the README and the smoke test speak of, and nothing that scales
# beat (two beats send every reminder twice).
services=$(cd "$scratch" && docker-compose --project-name mentoring config --services | sort | tr '\n' ' ')
expected="beat migrate postgres redis web worker "
if [[ "$services" != "$expected" ]]; then
    echo "docker-compose.yml services are '$services', expected '$expected'" >&2
    exit 1
fi
if grep -nE '^\s+(scale|replicas):' docker-compose.yml; then
    echo "docker-compose.yml must not scale services: beat runs exactly once" >&2
    exit 1
fi
echo "docker-compose.yml: valid ($(docker-compose version --short)), services: $services"
