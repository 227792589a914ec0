MODEL (
  name shop.orders,
  kind INCREMENTAL_BY_TIME_RANGE (
    time_column order_date,
    batch_size 7
  ),
  grain order_id,
  description 'Orders of active customers, generated from the hours of each batch: about 25 a day. A backfill is split into batches of at most 7 days.',
  audits (
    not_null(columns := (order_id, customer_id, product_id, order_ts)),
    unique_values(columns := (order_id))
  )
);

WITH hours AS (
  SELECT
    hour_ts,
    CAST(EXTRACT(EPOCH FROM hour_ts) / 3600 AS BIGINT) AS hour_no
  FROM generate_series(CAST(@start_ts AS TIMESTAMP), CAST(@end_ts AS TIMESTAMP), INTERVAL '1 hour') AS g(hour_ts)
),
scored AS (
  -- r runs through every residue mod 1009 once per 1009 hours for each customer, and 28 of those residues
  -- are multiples of 37: roughly one order per customer every 36 hours, placed by the hour alone.
  SELECT
    h.hour_ts,
    h.hour_no,
    c.customer_id,
    (h.hour_no * 7919 + c.customer_id * 104729) % 1009 AS r
  FROM hours AS h
  CROSS JOIN shop.customer_regions AS c
  WHERE c.signup_date <= CAST(h.hour_ts AS DATE)
)
SELECT
  hour_no * 100 + customer_id AS order_id,
  customer_id,
  1 + (r * 31) % 20 AS product_id,
  1 + r % 3 AS quantity,
  hour_ts + (r % 60) * INTERVAL '1 minute' AS order_ts,
  CAST(hour_ts AS DATE) AS order_date
FROM scored
WHERE r % 37 = 0;
