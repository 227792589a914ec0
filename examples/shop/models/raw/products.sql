MODEL (
  name raw.products,
  kind SEED (
    path '../../seeds/products.csv'
  ),
  columns (
    product_id INT,
    product_name VARCHAR,
    category VARCHAR,
    unit_price_usd DECIMAL(10, 2)
  ),
  grain product_id,
  description 'Product list (20 rows, ids 1 to 20). One name holds a quoted comma to exercise CSV quoting.'
);
