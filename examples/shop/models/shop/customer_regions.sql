MODEL (
  name shop.customer_regions,
  kind EMBEDDED,
  description 'Active customers with the country and currency of their region. Never materialised: inlined as a subquery into shop.dim_customers and shop.orders.'
);

SELECT
  c.customer_id,
  c.full_name,
  c.tier,
  c.signup_date,
  r.region_code,
  r.country_code,
  r.currency_code
FROM raw.customers AS c
JOIN raw.store_regions AS r
  ON r.region_code = c.region_code
WHERE c.is_active;
