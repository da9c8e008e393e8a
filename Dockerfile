# The production image: gunicorn serves the web; the same image runs the Celery worker.
FROM node:20-bookworm-slim AS assets
WORKDIR /build
COPY package.json package-lock.json ./
RUN npm ci --no-audit --no-fund
COPY static/scss static/scss
RUN mkdir -p static/build static/vendor/govuk \
 && cp -r node_modules/govuk-frontend/dist/govuk/assets static/vendor/govuk/ \
 && cp node_modules/govuk-frontend/dist/govuk/govuk-frontend.min.js static/vendor/govuk/ \
 && npx --no-install sass --no-source-map --load-path=node_modules --style=compressed \
      --quiet-deps --silence-deprecation=import static/scss/uor.scss static/build/uor.css

FROM python:3.11-slim-bookworm
ENV PYTHONDONTWRITEBYTECODE=1 PYTHONUNBUFFERED=1 DJANGO_SETTINGS_MODULE=uor_site.settings.production
RUN apt-get update \
 && apt-get install -y --no-install-recommends libpango-1.0-0 libpangoft2-1.0-0 \
      libharfbuzz-subset0 fonts-liberation \
 && rm -rf /var/lib/apt/lists/* \
 && useradd --create-home --uid 1000 uor
WORKDIR /app
COPY pyproject.toml README.md ./
COPY uor_site uor_site
COPY metrics metrics
COPY assessments assessments
COPY wellled wellled
RUN pip install --no-cache-dir .
COPY . .
COPY --from=assets /build/static/build static/build
COPY --from=assets /build/static/vendor static/vendor
# collectstatic needs settings but no database or real secrets.
RUN SECRET_KEY=collectstatic-only ALLOWED_HOSTS=localhost CELERY_BROKER_URL=redis://unused \
    python manage.py collectstatic --noinput
USER uor
EXPOSE 8000
CMD ["gunicorn", "uor_site.wsgi:application", "--bind", "0.0.0.0:8000", "--workers", "3", \
     "--forwarded-allow-ips", "*", "--access-logfile", "-"]
