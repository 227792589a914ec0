MODEL (
  name raw.customers,
  kind SEED (
    path '../../seeds/customers.csv'
  ),
  columns (
    customer_id INT,
    full_name VARCHAR,
    email VARCHAR,
    region_code VARCHAR,
    signup_date DATE,
    tier VARCHAR,
    is_active BOOLEAN
  ),
  grain customer_id,
  description 'Shop customers (40 rows). Customers 37 to 40 sign up during November 2026, 7 and 23 are inactive.',
  audits (
    unique_values(columns := (customer_id, email)),
    accepted_values(column := tier, is_in := ('bronze', 'silver', 'gold'))
  )
);
