-- The citizen's address as the identity provider gives it (OIDC `address.formatted`), used to
-- prefill e-forms; staff accounts leave it empty.
ALTER TABLE users ADD COLUMN address text CONSTRAINT users_address_length_check CHECK (length(address) <= 500);
COMMENT ON COLUMN users.address IS 'Address claim of the identity provider (address.formatted), for e-form prefill.';
