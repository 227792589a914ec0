MODEL (
  name shop.product_catalog,
  kind VIEW,
  grain product_id,
  description 'Products with a price band; a view, so it always reflects raw.products.',
  audits (
    not_null(columns := (product_id, unit_price_usd)),
    accepted_values(column := price_band, is_in := ('budget', 'standard', 'premium'))
  )
);

SELECT
  product_id,
  product_name,
  category,
  unit_price_usd,
  CASE
    WHEN unit_price_usd < 20 THEN 'budget'
    WHEN unit_price_usd < 100 THEN 'standard'
    ELSE 'premium'
  END AS price_band
FROM raw.products;
