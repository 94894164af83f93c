#!/usr/bin/env bash
# Submits cs-kpi to a cluster with spark-submit. Build the application jar first (target/cs-kpi-cluster.jar:
# the project, its own dependencies and Delta; Spark comes from the cluster):
#   mvn -B -DskipTests package
# Usage: jobs/spark-submit.sh [spark-submit options] -- <cskpi command and options>
#   jobs/spark-submit.sh --master yarn --deploy-mode cluster --num-executors 20 --files conf/cluster.conf -- \
#     run --input s3a://bucket/cs/input --output s3a://bucket/cs/kpi --conf cluster.conf
# (in cluster mode the driver runs elsewhere: --files ships the config into its working directory, where
# --conf names it by its file name). cs-kpi's log4j2 configuration ships with the job the same way.
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
jar="${CSKPI_JAR:-$here/target/cs-kpi-cluster.jar}"
submit="${SPARK_HOME:?set SPARK_HOME to the Spark 3.5 installation}/bin/spark-submit"
log4j="$here/conf/log4j2.properties"

# spark-submit keeps only the last --files: the user's files and the logging configuration go in one list.
files="$log4j"
deploy_mode=client
submit_args=()
while [ $# -gt 0 ] && [ "$1" != "--" ]; do
  case "$1" in
    --files) files="$files,$2"; shift 2 ;;
    --files=*) files="$files,${1#--files=}"; shift ;;
    --deploy-mode) deploy_mode="$2"; submit_args+=("$1" "$2"); shift 2 ;;
    --deploy-mode=*) deploy_mode="${1#--deploy-mode=}"; submit_args+=("$1"); shift ;;
    *) submit_args+=("$1"); shift ;;
  esac
done
[ "${1:-}" = "--" ] && shift

# The driver finds the logging configuration in its working directory on the cluster, here on this machine.
if [ "$deploy_mode" = cluster ]; then
  driver_log4j="-Dlog4j2.configurationFile=log4j2.properties"
else
  driver_log4j="-Dlog4j2.configurationFile=$log4j"
fi

exec "$submit" \
  --class io.cskpi.cli.Cskpi \
  --conf spark.sql.extensions=io.delta.sql.DeltaSparkSessionExtension \
  --conf spark.sql.catalog.spark_catalog=org.apache.spark.sql.delta.catalog.DeltaCatalog \
  --conf spark.sql.session.timeZone=UTC \
  --conf "spark.driver.extraJavaOptions=$driver_log4j" \
  --conf "spark.executor.extraJavaOptions=-Dlog4j2.configurationFile=log4j2.properties" \
  --files "$files" \
  "${submit_args[@]}" "$jar" "$@"
