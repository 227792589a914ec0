MODEL (
  name shop.dim_customers,
  kind FULL,
  grain customer_id,
  description 'One row per active customer with region and currency, rebuilt on every run.',
  audits (
    unique_values(columns := (customer_id)),
    number_of_rows(threshold := 10)
  )
);

SELECT
  customer_id,
  full_name,
  tier,
  region_code,
  country_code,
  currency_code,
  signup_date,
  -- A FULL query sees only the execution-time variables: there is no batch range to filter on.
  GREATEST(CAST(@execution_ds AS DATE) - signup_date, 0) AS tenure_days
FROM shop.customer_regions;
