-- Staff work queues (issue 4): the "at my step" queue and the queue page's applicant filter.
-- Figures: 1,000,000 generated dossiers on PostgreSQL 15 (bench/lib/generate.ts; unit H15.001 has
-- 1,182 open dossiers, 1,731 at the desk's steps in status 2, 4 or 9, 6,649 returned), p50 of 25
-- runs of the query with the index and without it (dropped in a rolled-back transaction); the
-- benchmark's plans are in bench/results/README.md.

-- "At my step": one unit's dossiers waiting at given steps (2 received, 4 processing, 9 finished
-- and waiting at the desk's return step), soonest appointment first, keyset on (queue_due, id).
-- A single-step role reads its page in index order and stops at the page size (specialist's
-- first page 2.6 ms, 12.5 ms without: every status-2/4/9 dossier of the unit read and sorted);
-- the desk's two steps are one bitmap scan (8.5 ms, 15.7 ms without). assignee_id is carried so
-- the tab's count ("unassigned or mine") needs no other index (1.8 ms, 3.8 ms without).
CREATE INDEX dossiers_step_queue_idx ON dossiers (current_unit, current_step, queue_due, id)
  INCLUDE (assignee_id) WHERE status_code IN (2, 4, 9);

-- Applicant filter: an ID number or a phone number is matched exactly, in any queue and across a
-- province's whole subtree, without reading the unit's queue row by row: one unit's returned
-- dossiers 0.9 ms (5.7 ms without); a province's open dossiers 3.8 ms (105 ms without); a phone in
-- a province's returned dossiers 1.5 ms (297 ms without).
-- Not indexed: part of a name (a trigram index on the folded name was slower, 43 ms instead of
-- 7 ms on one unit's open queue: the planner misjudges how many names match), and the field
-- (a semi-join on procedures_field_idx while reading the unit's queue in order, 0.8 ms).
CREATE INDEX dossiers_applicant_id_number_idx ON dossiers (applicant_id_number) WHERE applicant_id_number IS NOT NULL;
CREATE INDEX dossiers_applicant_phone_idx ON dossiers (applicant_phone) WHERE applicant_phone IS NOT NULL;
