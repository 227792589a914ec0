MODEL (
  name shop.daily_customer_activity,
  kind INCREMENTAL_BY_TIME_RANGE (
    time_column activity_date
  ),
  grain (activity_date, customer_id),
  description 'Page events per active customer and UTC day: a daily model fed by the hourly shop.page_events.',
  audits (
    not_null(columns := (activity_date, customer_id, region_code))
  )
);

SELECT
  CAST(e.event_ts AS DATE) AS activity_date,
  e.customer_id,
  d.region_code,
  COUNT(*) AS events,
  COUNT(*) FILTER (WHERE e.event_type = 'view') AS views,
  COUNT(*) FILTER (WHERE e.event_type = 'add_to_cart') AS add_to_carts,
  COUNT(*) FILTER (WHERE e.event_type = 'checkout') AS checkouts
FROM shop.page_events AS e
JOIN shop.dim_customers AS d
  ON d.customer_id = e.customer_id
WHERE e.event_ts BETWEEN CAST(@start_ts AS TIMESTAMP) AND CAST(@end_ts AS TIMESTAMP)
GROUP BY
  CAST(e.event_ts AS DATE),
  e.customer_id,
  d.region_code;
