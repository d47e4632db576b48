# One image for every process of the platform; docker-compose.yml picks the
# command (migrate, web, worker, beat). The default is the web server.
FROM python:3.11-slim-bookworm

ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PIP_NO_CACHE_DIR=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1 \
    VAR_DIR=/app/var

# WeasyPrint (the pilot verdict PDF) needs Pango and HarfBuzz, and the DejaVu
# fonts its template names; gettext compiles the translation catalogues.
RUN apt-get update \
    && apt-get install -y --no-install-recommends \
        libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz0b libharfbuzz-subset0 \
        fonts-dejavu-core gettext \
    && rm -rf /var/lib/apt/lists/*

RUN groupadd --system --gid 1000 app \
    && useradd --system --uid 1000 --gid app --home-dir /app --no-create-home \
        --shell /usr/sbin/nologin app

WORKDIR /app

# Dependencies first: this layer is rebuilt only when pyproject.toml changes.
# (The project declares no package: `pip install .` installs its dependencies.)
COPY pyproject.toml README.md ./
RUN pip install . && rm -rf build *.egg-info

COPY . .

# Translations and static files are built into the image. Collecting needs the
# production settings (hashed, compressed files for WhiteNoise), hence a dummy
# secret that exists only during this step.
RUN python manage.py compilemessages \
    && MENTORING_PRODUCTION=true SECRET_KEY=build-only-not-a-secret ALLOWED_HOSTS=localhost \
        python manage.py collectstatic --noinput \
    && rm -rf var/celery var/mail var/*.sqlite3* \
    && mkdir -p var/media \
    && chown app:app var var/media

USER app
EXPOSE 8000
CMD ["gunicorn", "--config", "deploy/gunicorn.conf.py", "mentoring.wsgi"]
