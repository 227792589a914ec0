MODEL (
  name quickstart.seed_model,
  kind SEED (
    path '../seeds/seed_data.csv'
  ),
  columns (
    id INT,
    item_id INT,
    event_date DATE
  ),
  grain (id, event_date),
  description 'Raw events loaded once from seeds/seed_data.csv (20 rows, 2026-11-01 to 2026-11-10).'
);
