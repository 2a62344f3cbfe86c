#!/bin/sh
# The compose database's first start (docker-entrypoint-initdb.d): a role per service owning its schema
# (deploy/postgres/service-roles.sql), with the passwords docker-compose.yml gives the services.
# On a volume made before: docker compose exec postgres sh /docker-entrypoint-initdb.d/10-service-roles.sh
set -e
psql -v ON_ERROR_STOP=1 --username "${POSTGRES_USER:-kapocs}" --dbname "${POSTGRES_DB:-kapocs}" \
  -v partners_password="$PARTNERS_DB_PASSWORD" -v activities_password="$ACTIVITIES_DB_PASSWORD" \
  -v sales_password="$SALES_DB_PASSWORD" -v marketing_password="$MARKETING_DB_PASSWORD" \
  -v documents_password="$DOCUMENTS_DB_PASSWORD" -v reporting_password="$REPORTING_DB_PASSWORD" \
  -f /kapocs/service-roles.sql
