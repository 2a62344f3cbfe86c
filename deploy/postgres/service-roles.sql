-- A role per service, owning that service's schema and nothing else: "a service reads only its own schema" holds
-- by permission. Idempotent; run as a superuser on the application database (and, locally, on template1):
--   psql "postgres://admin@host:5432/kapocs" -v ON_ERROR_STOP=1 \
--     -v partners_password=… -v activities_password=… -v sales_password=… \
--     -v marketing_password=… -v documents_password=… -v reporting_password=… \
--     -f deploy/postgres/service-roles.sql
-- A password not given is left as it is (the local stack trusts loopback and gives none). Used by
-- deploy/local/stack.mjs (every `up`), deploy/compose (first start of the database) and, by hand or from a Job of
-- the operator's, for the PostgreSQL Kubernetes connects to (deploy/k8s/README.md).
-- Each service migrates as its role (at start and in its migration Job): the owner of the schema.
\set ON_ERROR_STOP on

-- the roles: log in, nothing more (no superuser, no CREATEDB, no CREATEROLE, no right to create schemas)
SELECT format('CREATE ROLE %I LOGIN', r) FROM unnest(array['partners', 'activities', 'sales', 'marketing', 'documents', 'reporting']) AS r
 WHERE NOT EXISTS (SELECT FROM pg_roles WHERE rolname = r) \gexec
\if :{?partners_password}
ALTER ROLE partners PASSWORD :'partners_password';
\endif
\if :{?activities_password}
ALTER ROLE activities PASSWORD :'activities_password';
\endif
\if :{?sales_password}
ALTER ROLE sales PASSWORD :'sales_password';
\endif
\if :{?marketing_password}
ALTER ROLE marketing PASSWORD :'marketing_password';
\endif
\if :{?documents_password}
ALTER ROLE documents PASSWORD :'documents_password';
\endif
\if :{?reporting_password}
ALTER ROLE reporting PASSWORD :'reporting_password';
\endif

-- what partners' search uses, made by the administrator: the roles may not create extensions
CREATE EXTENSION IF NOT EXISTS unaccent;
CREATE EXTENSION IF NOT EXISTS pg_trgm;
-- nobody creates in public (PostgreSQL 15 already defaults to this; older clusters do not)
REVOKE CREATE ON SCHEMA public FROM PUBLIC;

DO $$
DECLARE s text; r record;
BEGIN
  EXECUTE format('REVOKE CREATE ON DATABASE %I FROM PUBLIC', current_database());
  FOREACH s IN ARRAY array['partners', 'activities', 'sales', 'marketing', 'documents', 'reporting'] LOOP
    EXECUTE format('ALTER ROLE %I NOSUPERUSER NOCREATEDB NOCREATEROLE NOBYPASSRLS', s);
    IF NOT EXISTS (SELECT FROM pg_namespace WHERE nspname = s) THEN
      EXECUTE format('CREATE SCHEMA %I AUTHORIZATION %I', s, s);
    ELSE
      EXECUTE format('ALTER SCHEMA %I OWNER TO %I', s, s);
    END IF;
    EXECUTE format('REVOKE ALL ON SCHEMA %I FROM PUBLIC', s);
    -- what was made before by another role (a single-role installation, or a migration run as the administrator)
    -- passes to the schema's owner
    FOR r IN SELECT c.oid::regclass AS obj, CASE c.relkind WHEN 'v' THEN 'VIEW' WHEN 'm' THEN 'MATERIALIZED VIEW'
               WHEN 'f' THEN 'FOREIGN TABLE' ELSE 'TABLE' END AS kind
             FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
             WHERE n.nspname = s AND c.relkind IN ('r', 'p', 'v', 'm', 'f') AND pg_get_userbyid(c.relowner) <> s LOOP
      EXECUTE format('ALTER %s %s OWNER TO %I', r.kind, r.obj, s);
    END LOOP;
    -- sequences a column owns moved with their table; these are the free-standing ones
    FOR r IN SELECT c.oid::regclass AS obj FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
             WHERE n.nspname = s AND c.relkind = 'S' AND pg_get_userbyid(c.relowner) <> s LOOP
      EXECUTE format('ALTER SEQUENCE %s OWNER TO %I', r.obj, s);
    END LOOP;
    FOR r IN SELECT p.oid::regprocedure AS obj FROM pg_proc p JOIN pg_namespace n ON n.oid = p.pronamespace
             WHERE n.nspname = s AND pg_get_userbyid(p.proowner) <> s LOOP
      EXECUTE format('ALTER ROUTINE %s OWNER TO %I', r.obj, s);
    END LOOP;
    FOR r IN SELECT t.oid::regtype AS obj, t.typtype FROM pg_type t JOIN pg_namespace n ON n.oid = t.typnamespace
             WHERE n.nspname = s AND t.typtype IN ('e', 'd', 'r') AND pg_get_userbyid(t.typowner) <> s LOOP
      EXECUTE format('ALTER %s %s OWNER TO %I', CASE r.typtype WHEN 'd' THEN 'DOMAIN' ELSE 'TYPE' END, r.obj, s);
    END LOOP;
  END LOOP;
END $$;
