-- Procedure search: the everyday-words lexicon that administrators extend, and the vocabulary of
-- the catalog used to correct typing mistakes. Both are read by every search (no process cache).

CREATE TABLE search_lexicon (
  term_folded text PRIMARY KEY,
  term        text NOT NULL,
  expansions  text[] NOT NULL DEFAULT '{}',
  note        text NOT NULL DEFAULT '',
  updated_at  timestamptz NOT NULL DEFAULT now(),
  CONSTRAINT search_lexicon_term_folded_check
    CHECK (term_folded = lower(term_folded) AND term_folded = btrim(term_folded) AND length(term_folded) BETWEEN 1 AND 100),
  CONSTRAINT search_lexicon_expansions_check CHECK (cardinality(expansions) <= 20)
);
COMMENT ON TABLE search_lexicon IS 'Search lexicon: abbreviations, everyday names, spelling variants and English words (CCCD, GPXD, sổ đỏ, birth registration) with what they mean in catalog words. Seeded from src/catalog/data/search-lexicon.json (only missing terms), edited by administrators through /api/search/lexicon.';
COMMENT ON COLUMN search_lexicon.term_folded IS 'The term as searched: lower case, no diacritics, single spaces (motcua_fold), one to four words.';
COMMENT ON COLUMN search_lexicon.term IS 'The term as written by its author, for display.';
COMMENT ON COLUMN search_lexicon.expansions IS 'Words or phrases the term may stand for (any one of them matches). Empty: a filler word ("thủ tục", "hồ sơ") that a search may ignore.';

CREATE TABLE search_words (
  variant text NOT NULL,
  word    text NOT NULL,
  CONSTRAINT search_words_pkey PRIMARY KEY (variant, word),
  CONSTRAINT search_words_length_check CHECK (length(word) BETWEEN 2 AND 40)
);
COMMENT ON TABLE search_words IS 'Vocabulary of procedures.search_text for typo correction: each word with itself and each of its one-letter deletions as variant, so that the words one edit away from a searched word are found by equality on variant. Filled by a trigger on procedures; never pruned (a word no longer in the catalog only offers a correction that matches nothing).';

CREATE FUNCTION motcua_collect_search_words() RETURNS trigger
  LANGUAGE plpgsql
  AS $$
BEGIN
  INSERT INTO search_words (variant, word)
  SELECT DISTINCT v.variant, w.word
  FROM (SELECT DISTINCT t AS word
          FROM regexp_split_to_table(NEW.search_text, '[^[:alnum:]]+') AS t
         WHERE length(t) BETWEEN 2 AND 40 AND t !~ '[0-9]') AS w
  CROSS JOIN LATERAL (
    SELECT w.word AS variant
    UNION ALL
    SELECT overlay(w.word PLACING '' FROM i FOR 1) FROM generate_series(1, length(w.word)) AS i
  ) AS v
  ON CONFLICT DO NOTHING;
  RETURN NULL;
END
$$;
COMMENT ON FUNCTION motcua_collect_search_words() IS 'Adds the words of a procedure''s search_text (and their one-letter deletions) to search_words.';

CREATE TRIGGER procedures_search_words_trg
  AFTER INSERT OR UPDATE OF search_text ON procedures
  FOR EACH ROW EXECUTE FUNCTION motcua_collect_search_words();

-- Words of the procedures already in the catalog.
UPDATE procedures SET search_text = search_text;

-- Text as the search compares whole phrases: folded, every run of characters other than letters,
-- digits and ". % _ -" turned into one space (the same cut as src/core/search-query.ts).
CREATE FUNCTION motcua_search_words(text) RETURNS text
  LANGUAGE sql IMMUTABLE PARALLEL SAFE STRICT
  AS $$ SELECT btrim(regexp_replace(motcua_fold($1), '[^[:alnum:].%_-]+', ' ', 'g')) $$;

CREATE FUNCTION motcua_search_aliases(text[]) RETURNS text
  LANGUAGE sql IMMUTABLE PARALLEL SAFE STRICT
  AS $$ SELECT '|' || coalesce(string_agg(motcua_search_words(a), '|'), '') || '|' FROM unnest($1) AS a $$;

-- The name and everyday names as searches compare them, kept by PostgreSQL on every write so a
-- search does not fold them again for each candidate.
ALTER TABLE procedures
  ADD COLUMN search_name text GENERATED ALWAYS AS (motcua_search_words(name)) STORED,
  ADD COLUMN search_aliases text GENERATED ALWAYS AS (motcua_search_aliases(aliases)) STORED;
COMMENT ON COLUMN procedures.search_name IS 'motcua_search_words(name): the name folded, punctuation as spaces (for ranking).';
COMMENT ON COLUMN procedures.search_aliases IS 'Everyday names (aliases) through motcua_search_words, each between "|": |so do|sang ten so do| (for ranking).';
