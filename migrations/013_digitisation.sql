-- Digitisation of dossier documents (số hóa thành phần hồ sơ; index group 5): which required
-- document of a dossier has an electronic copy, where the copy came from, who recorded it and when.
-- The copy's bytes are an attachment; a reused copy points at the attachment of the earlier dossier
-- (the once-only principle: the applicant's paper is scanned once), no bytes are copied.
CREATE TABLE dossier_documents (
  dossier_id             bigint NOT NULL CONSTRAINT dossier_documents_dossier_fk REFERENCES dossiers(id),
  document_seq           integer NOT NULL CONSTRAINT dossier_documents_document_seq_check CHECK (document_seq >= 1),
  attachment_id          bigint NOT NULL CONSTRAINT dossier_documents_attachment_fk REFERENCES attachments(id),
  source                 text NOT NULL CONSTRAINT dossier_documents_source_check CHECK (source IN ('scan', 'upload', 'reuse')),
  reused_from_dossier_id bigint CONSTRAINT dossier_documents_reused_from_fk REFERENCES dossiers(id),
  digitised_at           timestamptz NOT NULL,
  digitised_by           bigint CONSTRAINT dossier_documents_digitised_by_fk REFERENCES users(id),
  CONSTRAINT dossier_documents_pkey PRIMARY KEY (dossier_id, document_seq),
  -- A reused copy names the dossier it was taken from; a scan or an upload names none.
  CONSTRAINT dossier_documents_reuse_check CHECK ((source = 'reuse') = (reused_from_dossier_id IS NOT NULL)),
  CONSTRAINT dossier_documents_not_self_check CHECK (reused_from_dossier_id IS NULL OR reused_from_dossier_id <> dossier_id)
);
COMMENT ON TABLE dossier_documents IS 'The electronic copy of each required document of a dossier (digitised at the desk, uploaded online, or reused from an earlier dossier of the same applicant). One row per dossier and document; a new copy replaces the row, the action log (type digitise) keeps every change.';
COMMENT ON COLUMN dossier_documents.document_seq IS 'Which document of the procedure (procedure_documents.seq of the dossier''s procedure); no foreign key, like attachments.document_seq, so editing the catalog never touches dossiers.';
COMMENT ON COLUMN dossier_documents.attachment_id IS 'The electronic copy. For source reuse it is the earlier dossier''s attachment (attachments.dossier_id is that dossier).';
COMMENT ON COLUMN dossier_documents.source IS 'scan: scanned by an official (walk-in, post, or later with the digitise action); upload: uploaded by the applicant online; reuse: an earlier dossier''s copy.';
COMMENT ON COLUMN dossier_documents.reused_from_dossier_id IS 'For source reuse: the earlier dossier of the same applicant whose copy was reused.';
COMMENT ON COLUMN dossier_documents.digitised_by IS 'The official (or, for source upload, the applicant) who recorded the copy.';

-- Attachments are deleted only while in no dossier (purge of abandoned uploads); the foreign key
-- check of that delete reads this index instead of the whole table.
CREATE INDEX dossier_documents_attachment_idx ON dossier_documents (attachment_id);

-- Reuse offers find the earlier dossiers of the same applicant by their ID number through
-- dossiers_applicant_id_number_idx (migration 012).
