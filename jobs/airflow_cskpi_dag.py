"""Airflow DAG for cs-kpi: the nightly run after the warehouse load, and a weekly maintenance.

Install apache-airflow-providers-apache-spark and point the `spark_default` connection at the cluster (master
yarn, deploy mode cluster). Adapt the paths below. The DAG never runs twice at once (max_active_runs=1): two
cs-kpi runs on one output directory are refused anyway (exit 3), but on S3 only the orchestrator can guard it.
Exit codes: 2 = input or settings cs-kpi cannot use (a retry will not help: fix the input or conf), 3 = another
run holds the output directory, 1 = other failure. SparkSubmitOperator cannot tell them apart, so the run is not
retried automatically (an exit 2 would fail again): clear the task to rerun it; reruns of a date are idempotent.
"""
from datetime import datetime

from airflow import DAG
from airflow.providers.apache.spark.operators.spark_submit import SparkSubmitOperator

JAR = "/opt/cskpi/target/cs-kpi-cluster.jar"          # mvn -B -DskipTests package
CONF = "/opt/cskpi/conf/cluster.conf"                 # shipped to the driver with files=; read by its name
OUTPUT = "s3a://bucket/cs/kpi"
SPARK_CONF = {
    "spark.sql.extensions": "io.delta.sql.DeltaSparkSessionExtension",
    "spark.sql.catalog.spark_catalog": "org.apache.spark.sql.delta.catalog.DeltaCatalog",
    "spark.sql.session.timeZone": "UTC",
}

with DAG(
    "cskpi_nightly",
    start_date=datetime(2026, 1, 1),
    schedule="0 3 * * *",          # after the warehouse load; computes as of the day before
    catchup=False,
    max_active_runs=1,
    default_args={"retries": 0},
) as dag:
    SparkSubmitOperator(
        task_id="cskpi_run",
        application=JAR,
        java_class="io.cskpi.cli.Cskpi",
        conf=SPARK_CONF,
        files=CONF,
        application_args=["run", "--conf", "cluster.conf", "--output", OUTPUT, "--as-of", "{{ ds }}"],
    )

with DAG(
    "cskpi_maintain",
    start_date=datetime(2026, 1, 1),
    schedule="0 12 * * 0",         # Sundays at noon, away from the nightly run
    catchup=False,
    max_active_runs=1,
) as maintain_dag:
    SparkSubmitOperator(
        task_id="cskpi_maintain",
        application=JAR,
        java_class="io.cskpi.cli.Cskpi",
        conf=SPARK_CONF,
        files=CONF,
        application_args=["maintain", "--conf", "cluster.conf", "--output", OUTPUT],
    )
