-- Online submission: the e-form drafts applicants save, and the documents they upload.

-- One draft per applicant and procedure: the portal resumes "the" draft of a procedure with one
-- click and PUT /api/drafts/:procedureCode is a plain upsert, so there are no draft ids to keep
-- track of in the page. Submitting the procedure deletes it (in the same statement as the dossier).
CREATE TABLE dossier_drafts (
  id             bigint GENERATED ALWAYS AS IDENTITY CONSTRAINT dossier_drafts_pkey PRIMARY KEY,
  owner_user_id  bigint NOT NULL CONSTRAINT dossier_drafts_owner_fk REFERENCES users(id),
  procedure_code text NOT NULL CONSTRAINT dossier_drafts_procedure_fk REFERENCES procedures(code),
  case_code      text NOT NULL,
  form_data      jsonb NOT NULL DEFAULT '{}',
  created_at     timestamptz NOT NULL,
  updated_at     timestamptz NOT NULL,
  CONSTRAINT dossier_drafts_owner_procedure_key UNIQUE (owner_user_id, procedure_code),
  CONSTRAINT dossier_drafts_case_fk FOREIGN KEY (procedure_code, case_code) REFERENCES procedure_cases (procedure_code, code) ON DELETE CASCADE
);
COMMENT ON TABLE dossier_drafts IS 'E-form an applicant is filling in (partial data, types already checked); deleted when the dossier is submitted.';

-- Uploaded documents (thành phần hồ sơ). Uploaded first, then listed in a draft and finally
-- linked to the dossier on submit; an attachment linked to a dossier is never deleted.
CREATE TABLE attachments (
  id             bigint GENERATED ALWAYS AS IDENTITY CONSTRAINT attachments_pkey PRIMARY KEY,
  public_id      uuid NOT NULL CONSTRAINT attachments_public_id_key UNIQUE,
  owner_user_id  bigint NOT NULL CONSTRAINT attachments_owner_fk REFERENCES users(id),
  dossier_id     bigint CONSTRAINT attachments_dossier_fk REFERENCES dossiers(id),
  draft_id       bigint CONSTRAINT attachments_draft_fk REFERENCES dossier_drafts(id) ON DELETE SET NULL,
  procedure_code text NOT NULL CONSTRAINT attachments_procedure_fk REFERENCES procedures(code),
  document_seq   integer CONSTRAINT attachments_document_seq_check CHECK (document_seq >= 1),
  file_name      text NOT NULL CONSTRAINT attachments_file_name_check CHECK (length(file_name) BETWEEN 1 AND 255),
  content_type   text NOT NULL CONSTRAINT attachments_content_type_check CHECK (content_type IN ('application/pdf', 'image/jpeg', 'image/png')),
  size_bytes     bigint NOT NULL CONSTRAINT attachments_size_check CHECK (size_bytes > 0),
  sha256         text NOT NULL CONSTRAINT attachments_sha256_check CHECK (sha256 ~ '^[0-9a-f]{64}$'),
  storage_key    text NOT NULL CONSTRAINT attachments_storage_key_key UNIQUE,
  created_at     timestamptz NOT NULL,
  CONSTRAINT attachments_one_home_check CHECK (dossier_id IS NULL OR draft_id IS NULL)
);
COMMENT ON TABLE attachments IS 'Documents uploaded by applicants (or desk officers); bytes live in the file store under storage_key.';
COMMENT ON COLUMN attachments.public_id IS 'Identifier used in URLs and requests (not guessable, unlike id).';
COMMENT ON COLUMN attachments.document_seq IS 'Which required document of the procedure (procedure_documents.seq) the file is for; NULL = other.';
COMMENT ON COLUMN attachments.dossier_id IS 'Set on submit; from then on the attachment belongs to the dossier and cannot be deleted.';
COMMENT ON COLUMN attachments.draft_id IS 'The draft listing the attachment before submission.';

-- A dossier's documents (receipt, dossier view); a draft's documents; an applicant's loose uploads.
CREATE INDEX attachments_dossier_idx ON attachments (dossier_id) WHERE dossier_id IS NOT NULL;
CREATE INDEX attachments_draft_idx ON attachments (draft_id) WHERE draft_id IS NOT NULL;
CREATE INDEX attachments_unattached_idx ON attachments (owner_user_id, created_at) WHERE dossier_id IS NULL;
