-- Digital signatures on result documents (PAdES): one signing key (PKCS#12: private key and
-- X.509 certificate) per signing unit, and the signed result PDF of each finished dossier.
CREATE TABLE signing_keys (
  unit_code          text NOT NULL CONSTRAINT signing_keys_pkey PRIMARY KEY CONSTRAINT signing_keys_unit_fk REFERENCES units(code),
  p12                bytea NOT NULL,
  passphrase         text NOT NULL,
  subject            text NOT NULL,
  serial             text NOT NULL,
  certificate_sha256 text NOT NULL CONSTRAINT signing_keys_certificate_sha256_check CHECK (certificate_sha256 ~ '^[0-9a-f]{64}$'),
  not_before         timestamptz NOT NULL,
  not_after          timestamptz NOT NULL,
  generated          boolean NOT NULL DEFAULT false,
  created_at         timestamptz NOT NULL,
  created_by         bigint CONSTRAINT signing_keys_created_by_fk REFERENCES users(id),
  CONSTRAINT signing_keys_validity_check CHECK (not_before < not_after)
);
COMMENT ON TABLE signing_keys IS 'The signing key and certificate of each signing unit (PKCS#12, uploaded by an admin; self-signed and generated in demo mode).';
COMMENT ON COLUMN signing_keys.p12 IS 'The PKCS#12 file as uploaded (DER). Encryption at rest beyond the PKCS#12 passphrase is out of scope here.';
COMMENT ON COLUMN signing_keys.passphrase IS 'Passphrase of the PKCS#12 file. Production should supply it from a secret store (or an HSM holding the key) rather than keep it in the database.';
COMMENT ON COLUMN signing_keys.subject IS 'Certificate subject as text (e.g. CN=..., O=...).';
COMMENT ON COLUMN signing_keys.serial IS 'Certificate serial number, upper-case hexadecimal.';
COMMENT ON COLUMN signing_keys.certificate_sha256 IS 'SHA-256 of the certificate (DER), hex: how a verified signature is matched to a known signer.';
COMMENT ON COLUMN signing_keys.generated IS 'True for a self-signed certificate generated in demo mode (simulated, no legal value).';
CREATE INDEX signing_keys_certificate_idx ON signing_keys (certificate_sha256);

CREATE TABLE signed_results (
  id                bigint GENERATED ALWAYS AS IDENTITY CONSTRAINT signed_results_pkey PRIMARY KEY,
  dossier_id        bigint NOT NULL CONSTRAINT signed_results_dossier_fk REFERENCES dossiers(id),
  verification_code text NOT NULL CONSTRAINT signed_results_code_check CHECK (verification_code ~ '^[A-Z2-7]{10}$'),
  storage_key       text NOT NULL,
  sha256            text NOT NULL CONSTRAINT signed_results_sha256_check CHECK (sha256 ~ '^[0-9a-f]{64}$'),
  unit_code         text NOT NULL CONSTRAINT signed_results_unit_fk REFERENCES units(code),
  signer_subject    text NOT NULL,
  certificate_sha256 text NOT NULL CONSTRAINT signed_results_certificate_sha256_check CHECK (certificate_sha256 ~ '^[0-9a-f]{64}$'),
  signed_at         timestamptz NOT NULL,
  signed_by         bigint CONSTRAINT signed_results_signed_by_fk REFERENCES users(id),
  CONSTRAINT signed_results_dossier_key UNIQUE (dossier_id),
  CONSTRAINT signed_results_code_key UNIQUE (verification_code)
);
COMMENT ON TABLE signed_results IS 'The digitally signed result document of a finished dossier (one per dossier), stored in the file store.';
COMMENT ON COLUMN signed_results.verification_code IS 'Short public code (10 characters, base32) printed for anyone to verify the result at /verify.';
COMMENT ON COLUMN signed_results.sha256 IS 'SHA-256 of the signed PDF as stored (hex).';
COMMENT ON COLUMN signed_results.signer_subject IS 'Subject of the certificate that signed it.';
COMMENT ON COLUMN signed_results.certificate_sha256 IS 'SHA-256 of the signing certificate (DER), hex: results signed with a key since replaced still count as signed by a known signer.';
COMMENT ON COLUMN signed_results.signed_by IS 'The official who asked for the signed result (leader or specialist of the deciding unit).';
-- Verification by uploaded file: is this exact file one the system issued?
CREATE INDEX signed_results_sha256_idx ON signed_results (sha256);
CREATE INDEX signed_results_certificate_idx ON signed_results (certificate_sha256);
