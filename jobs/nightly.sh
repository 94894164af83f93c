#!/usr/bin/env bash
# A nightly orchestrator step (cron: jobs/crontab; Airflow: jobs/airflow_cskpi_dag.py): every KPI as of yesterday (UTC).
# A non-zero exit must fail the orchestrator's task: 2 = input or settings that cannot be used (a retry will not
# help), 3 = another run holds the output directory, 1 = other failure (worth a retry).
#   CSKPI_INPUT=s3a://bucket/cs/input CSKPI_OUTPUT=s3a://bucket/cs/kpi jobs/nightly.sh --master yarn
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
as_of="${CSKPI_AS_OF:-$(date -u -d yesterday +%F)}"
exec "$here/jobs/spark-submit.sh" "$@" -- run \
  --input "${CSKPI_INPUT:?set CSKPI_INPUT}" --output "${CSKPI_OUTPUT:?set CSKPI_OUTPUT}" \
  --as-of "$as_of" ${CSKPI_CONF:+--conf "$CSKPI_CONF"}
