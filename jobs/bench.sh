#!/usr/bin/env bash
# The benchmark as the performance issue states it: 100k and 1M customers x 36 months, Parquet and Delta input,
# each run and floor job in its own JVM; results printed and added to bench/RESULTS.md (newest run first, earlier
# runs and notes kept). Arguments go to cskpi bench and replace the defaults below (e.g. --customers 10000 for a
# quick look, --formats parquet, --families revenue for the revenue bridge alone).
# Needs about 8 GiB of heap at 1M customers (CSKPI_JAVA_OPTS=-Xmx8g, bin/cskpi's default).
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$here"
# DuckDB's JDBC driver (the revenue bridge's single-machine comparison) from Maven Central, beside the build and
# never inside the application jars; its version is the pom's duckdb.version.
version="$(sed -n 's:.*<duckdb.version>\(.*\)</duckdb.version>.*:\1:p' pom.xml)"
if [ ! -f "target/bench-lib/duckdb_jdbc-$version.jar" ]; then
  mvn -B -q dependency:copy -Dartifact="org.duckdb:duckdb_jdbc:$version" -DoutputDirectory=target/bench-lib
fi
export CSKPI_EXTRA_CLASSPATH="$here/target/bench-lib/duckdb_jdbc-$version.jar"
# A default only for an option not given: picocli refuses a single-value option twice, and list options such as
# --formats would add the user's values to the defaults instead of replacing them.
given() {
  local a
  for a in "${args[@]+"${args[@]}"}"; do
    case "$a" in "$1" | "$1="*) return 0 ;; esac
  done
  return 1
}
args=("$@")
defaults=()
given --customers || defaults+=(--customers 100000)
given --scales || defaults+=(--scales 1,10)
given --formats || defaults+=(--formats parquet,delta)
given --dir || defaults+=(--dir warehouse/bench)
exec bin/cskpi bench ${defaults[@]+"${defaults[@]}"} "$@"
