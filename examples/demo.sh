#!/usr/bin/env bash
# Runs the quickstart project end to end on the embedded stack: plan prod, run, status.
set -euo pipefail
cd "$(dirname "$0")/.."
project=examples/quickstart
echo "== meshcron plan (prod) =="
./bin/meshcron --project "$project" plan --auto-apply
echo
echo "== meshcron run (prod): nothing should be due right after the plan =="
./bin/meshcron --project "$project" run
echo
echo "== meshcron status (prod) =="
./bin/meshcron --project "$project" status
echo
echo "Results: DuckDB file $project/.meshcron/warehouse.duckdb (views quickstart.seed_model, quickstart.incremental_model, quickstart.full_model)."
