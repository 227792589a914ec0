MODEL (
  name quickstart.full_model,
  kind FULL,
  cron '@daily',
  grain item_id,
  description 'Events per item over everything processed so far, rebuilt from scratch on every run.',
  audits (
    unique_values(columns := (item_id))
  )
);

SELECT
  item_id,
  COUNT(DISTINCT id) AS num_events
FROM quickstart.incremental_model
GROUP BY item_id
