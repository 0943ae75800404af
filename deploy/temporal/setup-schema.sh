#!/bin/sh
# One-shot (temporal-admin-tools service): creates Temporal's databases and brings their schema up to the
# version shipped in this admin-tools image. Idempotent: `create` ignores an existing database,
# `setup-schema -v 0.0` leaves a newer schema alone and `update-schema` only applies missing versions.
# Connection settings come from the environment: SQL_PLUGIN, SQL_HOST, SQL_PORT, SQL_USER, SQL_PASSWORD.
set -eu

: "${DBNAME:=temporal}"
: "${VISIBILITY_DBNAME:=temporal_visibility}"
SCHEMA_ROOT=/etc/temporal/schema/postgresql/v12

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

setup_database() {
  db="$1"
  schema_dir="$2"
  echo "Setting up database ${db} from ${schema_dir}"
  temporal-sql-tool --db "$db" create
  temporal-sql-tool --db "$db" setup-schema -v 0.0
  temporal-sql-tool --db "$db" update-schema -d "$schema_dir"
}

setup_database "$DBNAME" "${SCHEMA_ROOT}/temporal/versioned"
setup_database "$VISIBILITY_DBNAME" "${SCHEMA_ROOT}/visibility/versioned"

echo "Temporal schema is up to date"
