-- The applicant's voice: a rating of the service after the result, and complaints / recommendations
-- (phản ánh, kiến nghị) tracked against their 15-working-day limit. Both feed index group 6
-- (domain.md §5).
CREATE TABLE dossier_ratings (
  dossier_id bigint PRIMARY KEY CONSTRAINT dossier_ratings_dossier_fk REFERENCES dossiers(id),
  user_id    bigint NOT NULL CONSTRAINT dossier_ratings_user_fk REFERENCES users(id),
  level      text NOT NULL CONSTRAINT dossier_ratings_level_check CHECK (level IN ('very_satisfied', 'satisfied', 'dissatisfied')),
  comment    text CONSTRAINT dossier_ratings_comment_check CHECK (char_length(comment) <= 1000),
  created_at timestamptz NOT NULL
);
COMMENT ON TABLE dossier_ratings IS 'One rating per dossier by its applicant, once the result is ready or returned.';
COMMENT ON COLUMN dossier_ratings.level IS 'very_satisfied | satisfied | dissatisfied; "dissatisfied" is the "dislike" that lowers satisfaction in index group 6.';
CREATE INDEX dossier_ratings_created_idx ON dossier_ratings (created_at);

CREATE TABLE complaint_code_counters (
  unit_code  text NOT NULL CONSTRAINT complaint_code_counters_unit_fk REFERENCES units(code),
  day        date NOT NULL,
  last_value integer NOT NULL,
  CONSTRAINT complaint_code_counters_pkey PRIMARY KEY (unit_code, day)
);
COMMENT ON TABLE complaint_code_counters IS 'Daily sequence per unit for complaint codes PAKN-{unit}-{yyMMdd}-{nnnn}.';

CREATE TABLE complaints (
  id               bigserial PRIMARY KEY,
  code             text NOT NULL CONSTRAINT complaints_code_key UNIQUE,
  submitter_id     bigint NOT NULL CONSTRAINT complaints_submitter_fk REFERENCES users(id),
  dossier_id       bigint CONSTRAINT complaints_dossier_fk REFERENCES dossiers(id),
  unit_code        text NOT NULL CONSTRAINT complaints_unit_fk REFERENCES units(code),
  category         text NOT NULL CONSTRAINT complaints_category_check CHECK (category IN ('phan_anh', 'kien_nghi')),
  content          text NOT NULL CONSTRAINT complaints_content_check CHECK (char_length(content) BETWEEN 1 AND 4000),
  received_at      timestamptz NOT NULL,
  due_at           timestamptz NOT NULL,
  status           text NOT NULL DEFAULT 'received' CONSTRAINT complaints_status_check CHECK (status IN ('received', 'processing', 'answered')),
  answer           text CONSTRAINT complaints_answer_check CHECK (char_length(answer) <= 4000),
  answered_by      bigint CONSTRAINT complaints_answered_by_fk REFERENCES users(id),
  answered_at      timestamptz,
  answered_on_time boolean,
  updated_at       timestamptz NOT NULL,
  CONSTRAINT complaints_answered_check CHECK ((status = 'answered') = (answer IS NOT NULL AND answered_at IS NOT NULL AND answered_by IS NOT NULL AND answered_on_time IS NOT NULL))
);
COMMENT ON TABLE complaints IS 'Complaints and recommendations (phản ánh, kiến nghị) from applicants about a dossier or a unit; to be answered within 15 working days.';
COMMENT ON COLUMN complaints.unit_code IS 'Unit that must answer: the receiving unit of the dossier, or the unit the complaint is about.';
COMMENT ON COLUMN complaints.due_at IS '15 working days after received_at, by the unit''s working calendar.';
COMMENT ON COLUMN complaints.answered_on_time IS 'Answered on or before the local date of due_at (index group 6: complaints handled on time).';

-- Staff lists: one unit's complaints by status, soonest due first (keyset on due_at, id).
CREATE INDEX complaints_unit_idx ON complaints (unit_code, status, due_at, id);
-- The applicant's own complaints, newest first.
CREATE INDEX complaints_submitter_idx ON complaints (submitter_id, received_at DESC, id DESC);
CREATE INDEX complaints_dossier_idx ON complaints (dossier_id) WHERE dossier_id IS NOT NULL;
