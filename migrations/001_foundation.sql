-- Foundation: extensions, units, working calendar, identity, audit.
CREATE EXTENSION IF NOT EXISTS unaccent;
CREATE EXTENSION IF NOT EXISTS pg_trgm;

-- lower(unaccent(x)), IMMUTABLE so it can be indexed ("Đăng ký" -> "dang ky").
CREATE OR REPLACE FUNCTION motcua_fold(text) RETURNS text
  LANGUAGE sql IMMUTABLE PARALLEL SAFE STRICT
  AS $$ SELECT lower(public.unaccent('public.unaccent'::regdictionary, $1)) $$;

CREATE TABLE units (
  code        text PRIMARY KEY,
  parent_code text CONSTRAINT units_parent_fk REFERENCES units(code),
  kind        text NOT NULL CONSTRAINT units_kind_check
              CHECK (kind IN ('nation', 'province', 'department', 'ward', 'commune', 'desk')),
  name        text NOT NULL,
  name_en     text,
  path        text NOT NULL,
  verified    boolean NOT NULL DEFAULT true,
  active      boolean NOT NULL DEFAULT true,
  CONSTRAINT units_path_format CHECK (path LIKE '/%/')
);
COMMENT ON TABLE units IS 'Administrative hierarchy: nation > province > department | ward/commune > desk.';
COMMENT ON COLUMN units.path IS 'Materialised path of codes, e.g. /VN/H15/H15.001/, for subtree (jurisdiction) queries.';
CREATE INDEX units_parent_idx ON units (parent_code);
CREATE INDEX units_path_idx ON units (path text_pattern_ops);

-- Working calendar -----------------------------------------------------------------------------
CREATE TABLE calendar_days (
  date       date PRIMARY KEY,
  kind       text NOT NULL CONSTRAINT calendar_days_kind_check CHECK (kind IN ('day_off', 'working_day')),
  name       text NOT NULL,
  name_en    text NOT NULL DEFAULT '',
  verified   boolean NOT NULL DEFAULT false,
  updated_at timestamptz NOT NULL DEFAULT now()
);
COMMENT ON TABLE calendar_days IS 'Yearly holiday table: public holidays (day_off) and swapped working days (working_day, e.g. a Saturday). Edited by admins.';

CREATE TABLE unit_working_hours (
  unit_code     text PRIMARY KEY CONSTRAINT unit_working_hours_unit_fk REFERENCES units(code),
  weekly        jsonb NOT NULL,
  swap_day_hours jsonb NOT NULL,
  updated_at    timestamptz NOT NULL DEFAULT now()
);
COMMENT ON TABLE unit_working_hours IS 'Working hours of a unit and its subtree (nearest ancestor wins; default Mon-Fri 07:00-11:30, 13:30-17:00).';

-- Identity -------------------------------------------------------------------------------------
CREATE TABLE users (
  id            bigserial PRIMARY KEY,
  username      text CONSTRAINT users_username_key UNIQUE,
  password_hash text,
  role          text NOT NULL CONSTRAINT users_role_check
                CHECK (role IN ('citizen', 'desk_officer', 'specialist', 'unit_leader', 'province_leader', 'admin')),
  unit_code     text CONSTRAINT users_unit_fk REFERENCES units(code),
  full_name     text NOT NULL,
  email         text,
  phone         text,
  id_number     text,
  oidc_sub      text CONSTRAINT users_oidc_sub_key UNIQUE,
  active        boolean NOT NULL DEFAULT true,
  created_at    timestamptz NOT NULL DEFAULT now(),
  CONSTRAINT users_staff_scope CHECK (role = 'citizen' OR unit_code IS NOT NULL),
  CONSTRAINT users_login CHECK (password_hash IS NOT NULL OR oidc_sub IS NOT NULL)
);
COMMENT ON COLUMN users.unit_code IS 'Jurisdiction: staff act on this unit and its subtree.';
CREATE INDEX users_unit_idx ON users (unit_code, role);

CREATE TABLE sessions (
  id_hash      text PRIMARY KEY,
  user_id      bigint NOT NULL CONSTRAINT sessions_user_fk REFERENCES users(id) ON DELETE CASCADE,
  csrf_token   text NOT NULL,
  created_at   timestamptz NOT NULL DEFAULT now(),
  expires_at   timestamptz NOT NULL
);
COMMENT ON COLUMN sessions.id_hash IS 'SHA-256 of the session cookie value; the cookie itself is never stored.';
CREATE INDEX sessions_user_idx ON sessions (user_id);
CREATE INDEX sessions_expires_idx ON sessions (expires_at);

CREATE TABLE rate_limit_hits (
  bucket text NOT NULL,
  at     timestamptz NOT NULL DEFAULT now()
);
COMMENT ON TABLE rate_limit_hits IS 'Sliding-window rate limits (login, lookup) shared by all server instances.';
CREATE INDEX rate_limit_hits_idx ON rate_limit_hits (bucket, at);

CREATE TABLE oidc_logins (
  state         text PRIMARY KEY,
  nonce         text NOT NULL,
  code_verifier text NOT NULL,
  return_to     text NOT NULL DEFAULT '/',
  created_at    timestamptz NOT NULL DEFAULT now()
);
COMMENT ON TABLE oidc_logins IS 'OpenID Connect logins in flight (state, nonce, PKCE verifier), so any instance can finish them.';

CREATE TABLE audit_log (
  id          bigserial PRIMARY KEY,
  at          timestamptz NOT NULL DEFAULT now(),
  actor_id    bigint CONSTRAINT audit_log_actor_fk REFERENCES users(id),
  action      text NOT NULL,
  object_type text NOT NULL,
  object_id   text NOT NULL,
  reason      text,
  details     jsonb NOT NULL DEFAULT '{}'
);
COMMENT ON TABLE audit_log IS 'Administrative changes (calendar, catalog, users). Dossier changes are in dossier_actions.';
CREATE INDEX audit_log_object_idx ON audit_log (object_type, object_id, at);

CREATE TABLE settings (
  key        text PRIMARY KEY,
  value      jsonb NOT NULL,
  updated_at timestamptz NOT NULL DEFAULT now()
);
COMMENT ON TABLE settings IS 'Installation-wide settings and markers (e.g. demo data seeded).';
