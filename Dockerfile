# One image for every role: web (gunicorn), worker and beat (Celery).
FROM python:3.11-slim

ENV PYTHONDONTWRITEBYTECODE=1 PYTHONUNBUFFERED=1 PIP_NO_CACHE_DIR=1 \
    APP_ENV=production FLASK_APP=web
WORKDIR /app

COPY pyproject.toml README.md ./
COPY config ./config
COPY matching ./matching
COPY web ./web
COPY workers ./workers
RUN pip install . && pybabel compile -d web/translations -f \
    && useradd --system --home /app tutormatch && mkdir -p /app/instance && chown tutormatch /app/instance
USER tutormatch

EXPOSE 8000
CMD ["gunicorn", "--bind", "0.0.0.0:8000", "--workers", "3", "--access-logfile", "-", "web.wsgi:app"]
