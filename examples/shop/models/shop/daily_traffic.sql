MODEL (
  name shop.daily_traffic,
  kind INCREMENTAL_BY_TIME_RANGE (
    time_column traffic_date
  ),
  cron '0 2 * * *',
  cron_tz 'America/New_York',
  grain (traffic_date, event_type),
  description 'Events and visitors per UTC day and event type. Runs at 02:00 New York time, so at 06:00 UTC the previous UTC day is not due yet; its intervals stay UTC days.',
  audits (
    accepted_values(column := event_type, is_in := ('view', 'add_to_cart', 'checkout'))
  )
);

SELECT
  CAST(event_ts AS DATE) AS traffic_date,
  event_type,
  COUNT(*) AS events,
  COUNT(DISTINCT customer_id) AS visitors
FROM shop.page_events
WHERE event_ts BETWEEN CAST(@start_ts AS TIMESTAMP) AND CAST(@end_ts AS TIMESTAMP)
GROUP BY
  CAST(event_ts AS DATE),
  event_type;
