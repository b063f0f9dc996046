-- The staff queue's default view (open dossiers of one unit, soonest due first) read in order
-- from the index: an ordered scan that stops at the page size, instead of reading every open
-- dossier of the unit and sorting them (measured at 1M dossiers: 1.33 ms → 0.16 ms execution).
CREATE INDEX dossiers_open_queue_idx ON dossiers (current_unit, queue_due, id) WHERE status_code IN (1, 2, 4, 5, 6);
