# syntax=docker/dockerfile:1
# One image for every Python service in docker-compose.yml (web, worker, beat, migrate); the command
# decides which. Build: `docker compose build`, or `docker build -t coprod .`.

# --- Front-end assets: Sass compiled into static/build ----------------------------------------------
FROM node:20-bookworm-slim AS assets
WORKDIR /src
# The lock files alone first, so that a change to the sources does not reinstall node_modules.
COPY package.json package-lock.json ./
RUN npm ci --no-audit --no-fund
COPY . .
RUN npm run build

# --- Runtime -------------------------------------------------------------------------------------------
FROM python:3.11-slim-bookworm AS runtime

# gunicorn reads WEB_CONCURRENCY for its worker count: one per CPU core (docs/performance.md);
# override it in .env to fit the machine.
ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PIP_NO_CACHE_DIR=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1 \
    VIRTUAL_ENV=/opt/venv \
    PATH=/opt/venv/bin:$PATH \
    DJANGO_SETTINGS_MODULE=coprod.settings \
    WEB_CONCURRENCY=2

# A fixed uid, so that volume permissions and "run as non-root" policies can name it. The home
# directory is the only place the user can write: gunicorn keeps its control socket there.
RUN groupadd --system --gid 10001 coprod \
    && useradd --system --uid 10001 --gid coprod --create-home --home-dir /home/coprod \
        --shell /usr/sbin/nologin coprod \
    && python -m venv "$VIRTUAL_ENV"

WORKDIR /app

# Dependencies in their own layer, read from pyproject.toml and pinned by the lock, so that a code
# change does not reinstall them. No dev extras: tests and linters stay out of the image.
COPY pyproject.toml requirements.lock ./
RUN python -c 'import tomllib; print("\n".join(tomllib.load(open("pyproject.toml", "rb"))["project"]["dependencies"]))' \
        > /tmp/requirements.txt \
    && pip install -c requirements.lock -r /tmp/requirements.txt \
    && rm /tmp/requirements.txt

COPY . .
COPY --from=assets /src/static/build static/build

# Editable, not a plain `pip install .`: settings find templates/, static/ and locale/ relative to
# the coprod package (BASE_DIR), which only holds when the code runs from this source tree.
# collectstatic only reads settings; the key and DEBUG value here exist for this step alone and are
# not kept in the image's environment.
RUN pip install -c requirements.lock -e . \
    && pip check \
    && DJANGO_SECRET_KEY=collectstatic-build-step-only-not-a-secret DJANGO_DEBUG=0 \
        python manage.py collectstatic --no-input \
    && python -m compileall -q /app

# Receipts for expenses (COPROD_RECEIPTS_ROOT) live on a volume mounted here; a new named volume
# takes this folder's owner, so the app can write there and nowhere else.
RUN mkdir -p /data/receipts && chown 10001:10001 /data/receipts && chmod 700 /data/receipts
ENV COPROD_RECEIPTS_ROOT=/data/receipts
# Files researchers attach to proposals (COPROD_PROPOSAL_FILES_ROOT): the same, on their own volume.
RUN mkdir -p /data/proposal-files && chown 10001:10001 /data/proposal-files \
    && chmod 700 /data/proposal-files
ENV COPROD_PROPOSAL_FILES_ROOT=/data/proposal-files
# Partnership documents: agreements and library files (COPROD_PARTNERSHIP_FILES_ROOT): the same.
RUN mkdir -p /data/partnership-files && chown 10001:10001 /data/partnership-files \
    && chmod 700 /data/partnership-files
ENV COPROD_PARTNERSHIP_FILES_ROOT=/data/partnership-files

# The code and collected static files stay owned by root: the app cannot change what it runs.
USER 10001:10001

EXPOSE 8000

# No HEALTHCHECK here: the same image runs web, worker, beat and a one-shot migration, each with its
# own check in docker-compose.yml.
# Measured with `make bench` on 2 cores (docs/performance.md, "Server settings"): the pages are
# CPU-bound, so one process per core gives the most requests per second, and threads add no
# throughput while raising the slowest answers (p95 at 8 clients +40% with 2 threads, more with 4:
# they take turns on one interpreter). Two threads stay, because Caddy passes request bodies on
# as they arrive: a slow phone uploading a receipt holds a thread, not the whole worker. The
# heartbeat file lives in memory, as gunicorn's docs advise for containers.
CMD ["gunicorn", "coprod.wsgi:application", \
     "--bind", "0.0.0.0:8000", \
     "--worker-class", "gthread", \
     "--threads", "2", \
     "--timeout", "60", \
     "--graceful-timeout", "30", \
     "--keep-alive", "5", \
     "--max-requests", "1000", \
     "--max-requests-jitter", "100", \
     "--worker-tmp-dir", "/dev/shm"]
