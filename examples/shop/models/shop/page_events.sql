MODEL (
  name shop.page_events,
  kind INCREMENTAL_BY_TIME_RANGE (
    time_column event_ts
  ),
  cron '@hourly',
  grain event_id,
  description 'Storefront page events, generated hour by hour from raw.customers: about 90 a day.',
  audits (
    not_null(columns := (event_id, customer_id, event_ts)),
    accepted_values(column := event_type, is_in := ('view', 'add_to_cart', 'checkout'))
  )
);

WITH hours AS (
  SELECT
    hour_ts,
    CAST(EXTRACT(EPOCH FROM hour_ts) / 3600 AS BIGINT) AS hour_no
  FROM generate_series(CAST(@start_ts AS TIMESTAMP), CAST(@end_ts AS TIMESTAMP), INTERVAL '1 hour') AS g(hour_ts)
),
scored AS (
  -- One candidate per customer and hour. Plain integer arithmetic picks about 1 in 11 of them: it depends
  -- only on the hour and the customer, so any batching of the same hours yields the same rows, and unlike
  -- the DuckDB hash function it cannot change between DuckDB versions.
  SELECT
    h.hour_ts,
    h.hour_no,
    c.customer_id,
    (h.hour_no * 6151 + c.customer_id * 3079) % 1013 AS r
  FROM hours AS h
  CROSS JOIN raw.customers AS c
  WHERE c.signup_date <= CAST(h.hour_ts AS DATE)
)
SELECT
  hour_no * 100 + customer_id AS event_id,
  customer_id,
  1 + (r * 17) % 20 AS product_id,
  CASE
    WHEN r % 10 < 7 THEN 'view'
    WHEN r % 10 < 9 THEN 'add_to_cart'
    ELSE 'checkout'
  END AS event_type,
  hour_ts + (r % 60) * INTERVAL '1 minute' AS event_ts
FROM scored
WHERE r % 11 = 0;
