MODEL (
  name shop.currency_summary,
  kind FULL,
  -- raw.fx_rates is created by the pre-statement of shop.order_facts, which this query does not read:
  -- depends_on makes this model wait for it.
  depends_on [shop.order_facts],
  grain currency_code,
  description 'Exchange rate and active customer count per currency.',
  audits (
    not_null(columns := (currency_code, usd_per_unit))
  )
);

SELECT
  fx.currency_code,
  fx.usd_per_unit,
  COUNT(d.customer_id) AS active_customers
FROM raw.fx_rates AS fx
LEFT JOIN shop.dim_customers AS d
  ON d.currency_code = fx.currency_code
GROUP BY
  fx.currency_code,
  fx.usd_per_unit;
