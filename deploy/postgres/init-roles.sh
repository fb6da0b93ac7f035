#!/bin/sh
# Creates coprod's two database roles and hands the database to the owner; the superuser the image
# creates (POSTGRES_USER) is left for administration only. docker-compose.yml mounts this into
# /docker-entrypoint-initdb.d, so the postgres image runs it once, when it creates the database.
# It is idempotent (passwords are set again): run it by hand for an existing database with
#   docker compose exec postgres sh /docker-entrypoint-initdb.d/10-coprod-roles.sh
#
#   COPROD_DB_OWNER (coprod_owner), password COPROD_DB_OWNER_PASSWORD: owns the schema; only the
#       one-shot `migrate` service connects as it (DDL).
#   COPROD_DB_APP_ROLE (coprod_app), password COPROD_DB_APP_PASSWORD: web, worker and beat. It owns
#       nothing; `manage.py grant_app_privileges`, run by `migrate`, gives it row access.
set -eu

: "${COPROD_DB_OWNER:=coprod_owner}"
: "${COPROD_DB_APP_ROLE:=coprod_app}"
: "${COPROD_DB_OWNER_PASSWORD:?set COPROD_DB_OWNER_PASSWORD (env/postgres.env)}"
: "${COPROD_DB_APP_PASSWORD:?set COPROD_DB_APP_PASSWORD (env/postgres.env)}"

# Values go in as psql variables (:'name' quotes a literal, :"name" an identifier), never pasted
# into the SQL text; \gexec runs the statement a query builds.
psql -v ON_ERROR_STOP=1 --no-psqlrc --quiet \
    --username "${POSTGRES_USER:-postgres}" --dbname "${POSTGRES_DB:-coprod}" \
    -v owner="$COPROD_DB_OWNER" -v owner_password="$COPROD_DB_OWNER_PASSWORD" \
    -v app="$COPROD_DB_APP_ROLE" -v app_password="$COPROD_DB_APP_PASSWORD" <<'SQL'
SELECT format('CREATE ROLE %I', :'owner')
    WHERE NOT EXISTS (SELECT FROM pg_roles WHERE rolname = :'owner') \gexec
SELECT format('CREATE ROLE %I', :'app')
    WHERE NOT EXISTS (SELECT FROM pg_roles WHERE rolname = :'app') \gexec
SELECT format('ALTER ROLE %I LOGIN NOSUPERUSER NOCREATEDB NOCREATEROLE PASSWORD %L', :'owner', :'owner_password') \gexec
SELECT format('ALTER ROLE %I LOGIN NOSUPERUSER NOCREATEDB NOCREATEROLE PASSWORD %L', :'app', :'app_password') \gexec

-- The owner of the database also owns its public schema (PostgreSQL 15 and later), so it may
-- create tables there; nobody else may, and only the two roles may connect.
SELECT format('ALTER DATABASE %I OWNER TO %I', current_database(), :'owner') \gexec
SELECT format('REVOKE ALL ON DATABASE %I FROM PUBLIC', current_database()) \gexec
SELECT format('GRANT CONNECT, TEMPORARY ON DATABASE %I TO %I, %I', current_database(), :'owner', :'app') \gexec
REVOKE CREATE ON SCHEMA public FROM PUBLIC;
ALTER SCHEMA public OWNER TO :"owner";
SQL
echo "coprod: roles $COPROD_DB_OWNER (owner) and $COPROD_DB_APP_ROLE (app) are ready"
