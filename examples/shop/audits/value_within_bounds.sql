-- Returns the rows where a numeric column falls outside [min_value, max_value]. NULL values pass: use
-- not_null to forbid them.
AUDIT (
  name value_within_bounds,
  defaults (
    min_value = 0,
    max_value = 1000000
  )
);

SELECT *
FROM @this_model
WHERE @column < @min_value
  OR @column > @max_value;
