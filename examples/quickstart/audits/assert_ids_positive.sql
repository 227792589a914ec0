-- Returns the rows whose ids are zero or negative: the seed uses 1-based ids, so any such row means the
-- source data is corrupt.
AUDIT (
  name assert_ids_positive
);

SELECT *
FROM @this_model
WHERE id <= 0
  OR item_id <= 0
