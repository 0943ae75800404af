#!/bin/sh
# One-shot (temporal-admin-tools service, and `npm run cluster` with the SQL tool it builds): creates Temporal's
# databases and brings their schema up to the version compiled into temporal-sql-tool (`--schema-name` reads the
# schema embedded in the binary, so the tool and the server of one release always agree, in the image and outside).
# Idempotent: `create` ignores an existing database, `setup-schema -v 0.0` leaves a newer schema alone and
# `update-schema` only applies missing versions.
# Connection settings come from the environment: SQL_PLUGIN, SQL_HOST, SQL_PORT, SQL_USER, SQL_PASSWORD.
set -eu

: "${DBNAME:=temporal}"
: "${VISIBILITY_DBNAME:=temporal_visibility}"
SCHEMA_ROOT=postgresql/v12

# The admin-tools image has nc; `npm run cluster` waits for its PostgreSQL itself before it runs this.
if command -v nc >/dev/null 2>&1; then
  echo "Waiting for PostgreSQL at ${SQL_HOST}:${SQL_PORT}..."
  attempt=0
  until nc -z -w 5 "$SQL_HOST" "$SQL_PORT"; do
    attempt=$((attempt + 1))
    if [ "$attempt" -ge 30 ]; then
      echo "PostgreSQL did not accept connections" >&2
      exit 1
    fi
    sleep 2
  done
fi

setup_database() {
  db="$1"
  schema="$2"
  echo "Setting up database ${db} with schema ${schema}"
  temporal-sql-tool --db "$db" create
  temporal-sql-tool --db "$db" setup-schema -v 0.0
  temporal-sql-tool --db "$db" update-schema --schema-name "$schema"
}

setup_database "$DBNAME" "${SCHEMA_ROOT}/temporal"
setup_database "$VISIBILITY_DBNAME" "${SCHEMA_ROOT}/visibility"

echo "Temporal schema is up to date"
