-- Procedure catalog (thủ tục hành chính).
CREATE TABLE fields (
  code    text PRIMARY KEY,
  name    text NOT NULL,
  name_en text NOT NULL
);
COMMENT ON TABLE fields IS 'Fields of procedures (lĩnh vực): Hộ tịch, Chứng thực, Đất đai, ...';

CREATE TABLE procedures (
  code                    text PRIMARY KEY,
  national_code           text,
  name                    text NOT NULL,
  name_en                 text NOT NULL DEFAULT '',
  field_code              text NOT NULL CONSTRAINT procedures_field_fk REFERENCES fields(code),
  level                   text NOT NULL CONSTRAINT procedures_level_check CHECK (level IN ('province', 'commune')),
  implementing_body       text NOT NULL,
  implementing_unit_kinds text[] NOT NULL DEFAULT '{}',
  implementing_units      text[] NOT NULL DEFAULT '{}',
  applicant_types         text[] NOT NULL,
  legal_basis             text NOT NULL,
  result_type             text NOT NULL CONSTRAINT procedures_result_type_check CHECK (result_type IN ('paper', 'electronic', 'both')),
  result_name             text NOT NULL,
  online_level            text NOT NULL CONSTRAINT procedures_online_level_check CHECK (online_level IN ('none', 'partial', 'full')),
  full_online_eligible    boolean NOT NULL DEFAULT false,
  no_boundary             boolean NOT NULL DEFAULT false,
  steps                   jsonb NOT NULL DEFAULT '["desk","specialist","leader","return"]',
  form                    jsonb NOT NULL DEFAULT '[]',
  aliases                 text[] NOT NULL DEFAULT '{}',
  verification            jsonb NOT NULL DEFAULT '{}',
  source                  text NOT NULL DEFAULT '',
  active                  boolean NOT NULL DEFAULT true,
  search_text             text NOT NULL DEFAULT '',
  updated_at              timestamptz NOT NULL DEFAULT now(),
  CONSTRAINT procedures_applicant_types_check CHECK (applicant_types <@ ARRAY['citizen', 'business']::text[] AND cardinality(applicant_types) > 0)
);
COMMENT ON COLUMN procedures.code IS 'National code (e.g. 1.001193) when known, otherwise a provincial code.';
COMMENT ON COLUMN procedures.implementing_unit_kinds IS 'Unit kinds that implement it everywhere (e.g. {commune,ward}).';
COMMENT ON COLUMN procedures.implementing_units IS 'Specific implementing units (e.g. a department).';
COMMENT ON COLUMN procedures.steps IS 'Processing steps in order, e.g. ["desk","specialist","leader","return"].';
COMMENT ON COLUMN procedures.verification IS 'Which facts are verified against the legal text and which the province must check: {"timeLimit":"verified","fee":"to_verify",...}.';
COMMENT ON COLUMN procedures.search_text IS 'motcua_fold(code, name, aliases, field name), maintained by the catalog on write.';
CREATE INDEX procedures_search_trgm_idx ON procedures USING gin (search_text gin_trgm_ops);
CREATE INDEX procedures_field_idx ON procedures (field_code, code);
CREATE INDEX procedures_level_idx ON procedures (level, code);

CREATE TABLE procedure_cases (
  procedure_code     text NOT NULL CONSTRAINT procedure_cases_procedure_fk REFERENCES procedures(code) ON DELETE CASCADE,
  code               text NOT NULL,
  name               text NOT NULL,
  name_en            text NOT NULL DEFAULT '',
  time_limit_kind    text NOT NULL CONSTRAINT procedure_cases_limit_kind_check
                     CHECK (time_limit_kind IN ('working_days', 'hours', 'days', 'same_day', 'none')),
  time_limit_value   numeric NOT NULL DEFAULT 0,
  service_norm_kind  text CONSTRAINT procedure_cases_norm_kind_check
                     CHECK (service_norm_kind IN ('working_days', 'hours', 'days', 'same_day')),
  service_norm_value numeric,
  fee                jsonb NOT NULL DEFAULT '{"kind":"free"}',
  sort               smallint NOT NULL DEFAULT 0,
  PRIMARY KEY (procedure_code, code),
  CONSTRAINT procedure_cases_limit_value_check CHECK (time_limit_value >= 0)
);
COMMENT ON TABLE procedure_cases IS 'Cases (trường hợp) of a procedure, each with its own time limit, service norm and fee rule.';
COMMENT ON COLUMN procedure_cases.fee IS 'Fee rule: {"kind":"free"} | {"kind":"fixed","amount":N,"unit":"..."} | {"kind":"per_page","rate":N,"laterRate":N,"laterFromPage":N,"capPerCopy":N}.';

CREATE TABLE procedure_documents (
  procedure_code    text NOT NULL CONSTRAINT procedure_documents_procedure_fk REFERENCES procedures(code) ON DELETE CASCADE,
  seq               smallint NOT NULL,
  name              text NOT NULL,
  name_en           text NOT NULL DEFAULT '',
  copies            smallint NOT NULL DEFAULT 1,
  original_required boolean NOT NULL DEFAULT false,
  required          boolean NOT NULL DEFAULT true,
  case_codes        text[] NOT NULL DEFAULT '{}',
  note              text NOT NULL DEFAULT '',
  PRIMARY KEY (procedure_code, seq)
);
COMMENT ON COLUMN procedure_documents.case_codes IS 'Cases the document applies to; empty = all cases.';
