#!/usr/bin/env bash
# The benchmark as the performance issue states it: 100k and 1M customers x 36 months, Parquet and Delta input,
# each run and floor job in its own JVM; results printed and written to bench/RESULTS.md. Extra arguments go to
# cskpi bench (e.g. --customers 10000 for a quick look, --families revenue for the revenue bridge alone).
# Needs about 8 GiB of heap at 1M customers (CSKPI_JAVA_OPTS=-Xmx8g, bin/cskpi's default).
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$here"
exec bin/cskpi bench --customers 100000 --scales 1,10 --formats parquet,delta --dir warehouse/bench \
  --results bench/RESULTS.md "$@"
