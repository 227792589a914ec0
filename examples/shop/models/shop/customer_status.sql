MODEL (
  name shop.customer_status,
  kind INCREMENTAL_BY_UNIQUE_KEY (
    unique_key customer_id
  ),
  grain customer_id,
  description 'Latest order of every customer who has ordered. Each batch merges on customer_id, so a newer order replaces the row.',
  audits (
    unique_values(columns := (customer_id)),
    not_null(columns := (customer_id, last_order_id, last_order_ts))
  )
);

SELECT
  customer_id,
  region_code,
  order_id AS last_order_id,
  order_ts AS last_order_ts,
  amount_usd AS last_order_usd
FROM (
  SELECT
    customer_id,
    region_code,
    order_id,
    order_ts,
    amount_usd,
    ROW_NUMBER() OVER (PARTITION BY customer_id ORDER BY order_ts DESC, order_id DESC) AS recency
  FROM shop.order_facts
  WHERE order_date BETWEEN @start_ds AND @end_ds
) AS ranked
WHERE recency = 1;
