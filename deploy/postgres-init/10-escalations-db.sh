#!/bin/bash
# Runs once, when the postgres image initialises an empty data volume (docker-entrypoint-initdb.d).
# Creates the app's role and database next to Temporal's (`temporal`, `temporal_visibility`, which the
# temporal-admin-tools one-shot creates). Names and password come from the postgresql service's environment
# in docker-compose.yml and must match the app's DATABASE_URL there.
set -euo pipefail

: "${ESCALATIONS_DB_NAME:?set ESCALATIONS_DB_NAME}"
: "${ESCALATIONS_DB_USER:?set ESCALATIONS_DB_USER}"
: "${ESCALATIONS_DB_PASSWORD:?set ESCALATIONS_DB_PASSWORD}"

psql -v ON_ERROR_STOP=1 --username "$POSTGRES_USER" --dbname postgres \
  -v app_db="$ESCALATIONS_DB_NAME" \
  -v app_user="$ESCALATIONS_DB_USER" \
  -v app_password="$ESCALATIONS_DB_PASSWORD" <<'EOSQL'
CREATE ROLE :"app_user" LOGIN PASSWORD :'app_password';
CREATE DATABASE :"app_db" OWNER :"app_user";
REVOKE ALL ON DATABASE :"app_db" FROM PUBLIC;
EOSQL

echo "Created database ${ESCALATIONS_DB_NAME} owned by ${ESCALATIONS_DB_USER}"
