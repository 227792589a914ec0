MODEL (
  name shop.top_products,
  kind VIEW,
  grain product_id,
  description 'Products ranked by revenue over every processed order; a view over shop.order_facts.',
  audits (
    unique_values(columns := (product_id))
  )
);

SELECT
  p.product_id,
  p.product_name,
  p.category,
  SUM(f.quantity) AS units,
  SUM(f.amount_usd) AS revenue_usd,
  RANK() OVER (ORDER BY SUM(f.amount_usd) DESC) AS revenue_rank
FROM shop.order_facts AS f
JOIN shop.product_catalog AS p
  ON p.product_id = f.product_id
GROUP BY
  p.product_id,
  p.product_name,
  p.category;
