MODEL (
  name raw.store_regions,
  kind SEED (
    -- $root/ makes the path relative to the project folder instead of this file.
    path '$root/seeds/store_regions.csv'
  ),
  columns (
    region_code VARCHAR,
    region_name VARCHAR,
    country_code VARCHAR,
    currency_code VARCHAR
  ),
  grain region_code,
  description 'Store regions (5 rows) and the currency each one sells in.'
);
