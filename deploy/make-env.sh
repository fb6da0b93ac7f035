#!/bin/sh
# Writes the configuration docker-compose.yml reads, with new random secrets, so that each
# container gets only the secrets it needs and every copy of a password matches:
#
#   .env              Compose's own variables (the domain, the image): no secrets
#   env/app.env       settings shared by web, worker, beat and migrate: no secrets
#   env/web.env       secret key, field key, database (app role), Redis
#   env/worker.env    field key, database (app role), Redis, SMTP (no secret key: it signs nothing)
#   env/beat.env      database (app role), Redis broker
#   env/migrate.env   database (owner role); migrate also reads web.env, to check it (check --deploy)
#   env/postgres.env  the superuser's password and the two roles' passwords (deploy/postgres/)
#   env/redis.env     the Redis password
#
# Usage, from the directory that holds docker-compose.yml:
#   sh deploy/make-env.sh coprod.example.org
# then put the SMTP account into EMAIL_URL in env/worker.env. It never overwrites a file.
set -eu

domain=${1:?usage: sh deploy/make-env.sh DOMAIN [DIRECTORY]}
root=${2:-.}
for file in "$root/.env" "$root/env"; do
    if [ -e "$file" ]; then
        echo "$file already exists: not overwriting it" >&2
        exit 1
    fi
done

# Hex secrets need no quoting in env files or URLs; a Fernet key is 32 random bytes, url-safe base64.
hex() { openssl rand -hex "$1"; }
secret_key=$(hex 32)
field_key=$(openssl rand 32 | base64 | tr '+/' '-_')
postgres_password=$(hex 24)
owner_password=$(hex 24)
app_password=$(hex 24)
redis_password=$(hex 24)
database_app="postgres://coprod_app:$app_password@postgres:5432/coprod"
database_owner="postgres://coprod_owner:$owner_password@postgres:5432/coprod"
broker="redis://:$redis_password@redis:6379/0"
cache="redis://:$redis_password@redis:6379/1"

umask 077
mkdir -p "$root/env"

cat > "$root/.env" <<END
# Compose's own variables (docker-compose.yml). No secrets here: those are in env/.
# Caddy obtains the TLS certificate for this name; its DNS record must point at this machine.
COPROD_DOMAIN=$domain
# gunicorn processes per web container (each runs 4 threads); about 2 per CPU core.
# WEB_CONCURRENCY=3
# Celery worker processes per worker container.
# CELERY_WORKER_CONCURRENCY=2
# Use an image from a registry instead of building here (docker compose pull, then up).
# COPROD_IMAGE=registry.example.org/coprod:1.0.0
END

cat > "$root/env/app.env" <<END
# Settings shared by web, worker, beat and migrate. No secrets.
DJANGO_DEBUG=0
DJANGO_ALLOWED_HOSTS=$domain
DJANGO_CSRF_TRUSTED_ORIGINS=https://$domain
DEFAULT_FROM_EMAIL=no-reply@$domain
# Links in messages sent by tasks (staff reminders).
COPROD_SITE_URL=https://$domain
# "Exit this page" leaves for this neutral site.
COPROD_EXIT_URL=https://www.bbc.co.uk/weather
END

cat > "$root/env/web.env" <<END
DJANGO_SECRET_KEY=$secret_key
# Fernet key(s) for the encrypted fields. Back it up apart from the database. Rotation:
# deploy/README.md (the first key encrypts, all decrypt). worker.env holds the same value.
COPROD_FIELD_ENCRYPTION_KEY=$field_key
DATABASE_URL=$database_app
CELERY_BROKER_URL=$broker
REDIS_URL=$cache
END

cat > "$root/env/worker.env" <<END
COPROD_FIELD_ENCRYPTION_KEY=$field_key
DATABASE_URL=$database_app
CELERY_BROKER_URL=$broker
REDIS_URL=$cache
# The mail server: smtp+tls://user:password@host:587 (STARTTLS) or smtp+ssl://user:password@host:465;
# URL-encode special characters in the user and password.
EMAIL_URL=smtp+tls://<user>:<password>@<smtp.example.org>:587
END

cat > "$root/env/beat.env" <<END
DATABASE_URL=$database_app
CELERY_BROKER_URL=$broker
END

cat > "$root/env/migrate.env" <<END
# The owner role: migrate changes the schema, then grants the app role its rows.
DATABASE_URL=$database_owner
END

cat > "$root/env/postgres.env" <<END
# The superuser, for administration only (backups, restores); the app never uses it.
POSTGRES_PASSWORD=$postgres_password
# Read by deploy/postgres/init-roles.sh; must match the passwords in the DATABASE_URLs above.
COPROD_DB_OWNER_PASSWORD=$owner_password
COPROD_DB_APP_PASSWORD=$app_password
END

cat > "$root/env/redis.env" <<END
# Must match the password in the redis:// URLs above.
REDIS_PASSWORD=$redis_password
END

echo "Wrote $root/.env and $root/env/*.env. Now set EMAIL_URL in $root/env/worker.env."
