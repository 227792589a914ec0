MODEL (
  name shop.daily_region_revenue,
  kind INCREMENTAL_BY_TIME_RANGE (
    time_column revenue_date,
    lookback 2
  ),
  grain (revenue_date, region_code),
  description 'Revenue and activity per region and day: one row for every region on every day, sales or not. Each run also recomputes the 2 days before the first missing one, for late orders.',
  audits (
    value_within_bounds(column := revenue_usd, max_value := 100000),
    value_within_bounds(column := checkout_share, max_value := 1)
  )
);

WITH days AS (
  SELECT CAST(day_ts AS DATE) AS revenue_date
  FROM generate_series(CAST(@start_ds AS TIMESTAMP), CAST(@end_ds AS TIMESTAMP), INTERVAL '1 day') AS g(day_ts)
),
sales AS (
  SELECT
    order_date,
    region_code,
    COUNT(*) AS orders,
    SUM(amount_usd) AS revenue_usd,
    SUM(amount_local) AS revenue_local,
    COUNT(*) FILTER (WHERE is_big_order) AS big_orders
  FROM shop.order_facts
  WHERE order_date BETWEEN @start_ds AND @end_ds
  GROUP BY order_date, region_code
),
activity AS (
  SELECT
    activity_date,
    region_code,
    COUNT(*) AS active_customers,
    SUM(events) AS events,
    SUM(checkouts) AS checkouts
  FROM shop.daily_customer_activity
  WHERE activity_date BETWEEN @start_ds AND @end_ds
  GROUP BY activity_date, region_code
)
SELECT
  d.revenue_date,
  r.region_code,
  r.currency_code,
  COALESCE(s.orders, 0) AS orders,
  COALESCE(s.revenue_usd, 0) AS revenue_usd,
  COALESCE(s.revenue_local, 0) AS revenue_local,
  COALESCE(s.big_orders, 0) AS big_orders,
  COALESCE(a.active_customers, 0) AS active_customers,
  CASE WHEN COALESCE(a.events, 0) = 0 THEN NULL ELSE a.checkouts / a.events END AS checkout_share
FROM days AS d
CROSS JOIN raw.store_regions AS r
LEFT JOIN sales AS s
  ON s.order_date = d.revenue_date AND s.region_code = r.region_code
LEFT JOIN activity AS a
  ON a.activity_date = d.revenue_date AND a.region_code = r.region_code;

-- Records how far the table reaches, for dashboards that show data freshness. Re-created after every batch,
-- so it always describes the whole table (drop then create: PostgreSQL has no CREATE OR REPLACE TABLE).
DROP TABLE IF EXISTS raw.revenue_watermark;

CREATE TABLE raw.revenue_watermark AS
SELECT
  MAX(revenue_date) AS last_revenue_date,
  COUNT(*) AS total_rows,
  @execution_ts AS refreshed_at,
  @gateway AS gateway
FROM @this_model;
