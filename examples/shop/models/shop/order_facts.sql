MODEL (
  name shop.order_facts,
  kind INCREMENTAL_BY_TIME_RANGE (
    time_column order_date
  ),
  grain order_id,
  description 'Orders priced in US dollars and in the customer currency. Reads four parents: orders, customers, products and exchange rates.',
  audits (
    forall(criteria := (quantity > 0, amount_usd > 0, amount_local > 0))
  )
);

-- raw.fx_rates is declared EXTERNAL, and Meshcron never loads external data: these pre-statements create it
-- with fixed rows the first time, and do nothing on later batches.
CREATE SCHEMA IF NOT EXISTS raw;

CREATE TABLE IF NOT EXISTS raw.fx_rates AS
SELECT
  currency_code,
  CAST(usd_per_unit AS DECIMAL(12, 6)) AS usd_per_unit
FROM (
  VALUES
    ('USD', 1.0),
    ('EUR', 1.0825),
    ('GBP', 1.268),
    ('JPY', 0.00665)
) AS t(currency_code, usd_per_unit);

SELECT
  o.order_id,
  o.order_date,
  o.order_ts,
  o.customer_id,
  d.region_code,
  d.currency_code,
  o.product_id,
  p.category,
  o.quantity,
  CAST(o.quantity * p.unit_price_usd AS DECIMAL(12, 2)) AS amount_usd,
  CAST(o.quantity * p.unit_price_usd / fx.usd_per_unit AS DECIMAL(14, 2)) AS amount_local,
  o.quantity * p.unit_price_usd >= @VAR('big_order_usd') AS is_big_order
FROM shop.orders AS o
JOIN shop.dim_customers AS d
  ON d.customer_id = o.customer_id
JOIN shop.product_catalog AS p
  ON p.product_id = o.product_id
JOIN raw.fx_rates AS fx
  ON fx.currency_code = d.currency_code
WHERE o.order_date BETWEEN @start_ds AND @end_ds;
