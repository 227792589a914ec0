MODEL (
  name quickstart.incremental_model,
  kind INCREMENTAL_BY_TIME_RANGE (
    time_column event_date
  ),
  start '2026-11-01',
  cron '@daily',
  grain (id, event_date),
  description 'Seed events copied one day at a time; each run fills only the days not yet processed.',
  audits (
    not_null(columns := (id)),
    assert_ids_positive
  )
);

SELECT
  id,
  item_id,
  event_date
FROM quickstart.seed_model
WHERE event_date BETWEEN @start_ds AND @end_ds
