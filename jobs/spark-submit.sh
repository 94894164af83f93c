#!/usr/bin/env bash
# Submits cs-kpi to a cluster with spark-submit. Build the application jar first (target/cs-kpi-cluster.jar:
# the project, its own dependencies and Delta; Spark comes from the cluster):
#   mvn -B -DskipTests package
# Usage: jobs/spark-submit.sh [spark-submit options] -- <cskpi command and options>
#   jobs/spark-submit.sh --master yarn --deploy-mode cluster --num-executors 20 --files conf/cluster.conf -- \
#     run --input s3a://bucket/cs/input --output s3a://bucket/cs/kpi --conf cluster.conf
# (in cluster mode the driver runs elsewhere: --files ships the config into its working directory)
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
jar="${CSKPI_JAR:-$here/target/cs-kpi-cluster.jar}"
submit="${SPARK_HOME:?set SPARK_HOME to the Spark 3.5 installation}/bin/spark-submit"

submit_args=()
while [ $# -gt 0 ] && [ "$1" != "--" ]; do
  submit_args+=("$1")
  shift
done
[ "${1:-}" = "--" ] && shift

exec "$submit" \
  --class io.cskpi.cli.Cskpi \
  --conf spark.sql.extensions=io.delta.sql.DeltaSparkSessionExtension \
  --conf spark.sql.catalog.spark_catalog=org.apache.spark.sql.delta.catalog.DeltaCatalog \
  --conf spark.sql.session.timeZone=UTC \
  "${submit_args[@]}" "$jar" "$@"
