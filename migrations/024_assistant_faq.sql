-- Virtual assistant (issue 6): the FAQ it answers general questions from, and the words of each
-- procedure as the assistant compares whole words.

CREATE TABLE assistant_faq (
  id          integer GENERATED ALWAYS AS IDENTITY CONSTRAINT assistant_faq_pkey PRIMARY KEY,
  slug        text NOT NULL CONSTRAINT assistant_faq_slug_key UNIQUE,
  question    text NOT NULL,
  question_en text NOT NULL DEFAULT '',
  answer      text NOT NULL,
  answer_en   text NOT NULL DEFAULT '',
  keywords    text NOT NULL DEFAULT '',
  active      boolean NOT NULL DEFAULT true,
  updated_at  timestamptz NOT NULL DEFAULT now(),
  -- Question (both languages) and keywords folded and cut into words, padded with spaces so
  -- that a whole word is found with LIKE '% word %'.
  search_text text GENERATED ALWAYS AS (
    ' ' || motcua_search_words(question || ' ' || question_en || ' ' || keywords) || ' '
  ) STORED,
  CONSTRAINT assistant_faq_slug_check CHECK (slug ~ '^[a-z0-9-]{1,60}$'),
  CONSTRAINT assistant_faq_question_check CHECK (length(btrim(question)) BETWEEN 1 AND 500),
  CONSTRAINT assistant_faq_answer_check CHECK (length(btrim(answer)) BETWEEN 1 AND 4000)
);
COMMENT ON TABLE assistant_faq IS 'General questions the assistant answers outside the catalog (opening hours, looking up a dossier, paying online, VNeID, complaints). Seeded from src/assistant/data/faq.json by slug (only missing entries, so edits survive); retrieved by whole words of search_text weighed by rarity (src/assistant/retrieve.ts).';
COMMENT ON COLUMN assistant_faq.slug IS 'Stable key of a seeded entry (the seed adds entries whose slug is missing).';
COMMENT ON COLUMN assistant_faq.keywords IS 'Other words people use for this question, with or without diacritics, Vietnamese or English.';
COMMENT ON COLUMN assistant_faq.search_text IS 'Generated: motcua_search_words(question, question_en, keywords) between spaces.';
CREATE INDEX assistant_faq_search_trgm_idx ON assistant_faq USING gin (search_text gin_trgm_ops);

-- The procedure's search text as whole words between spaces (code, name, English name, aliases,
-- field), kept by PostgreSQL on every write: the assistant weighs a question's words by whether
-- a procedure contains them as words, not as parts of longer words ("con" is not in "công").
ALTER TABLE procedures
  ADD COLUMN assistant_words text GENERATED ALWAYS AS (' ' || motcua_search_words(search_text) || ' ') STORED;
COMMENT ON COLUMN procedures.assistant_words IS 'Generated: motcua_search_words(search_text) between spaces, for whole-word matching by the assistant (src/assistant/retrieve.ts).';
