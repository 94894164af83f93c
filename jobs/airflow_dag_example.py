"""Example Airflow DAG: the cs-kpi nightly run after the warehouse load. Adapt paths and cluster options."""
from datetime import datetime

from airflow import DAG
from airflow.operators.bash import BashOperator

with DAG("cskpi_nightly", start_date=datetime(2026, 1, 1), schedule="0 3 * * *", catchup=False) as dag:
    BashOperator(
        task_id="cskpi_run",
        bash_command=(
            "CSKPI_AS_OF={{ ds }} CSKPI_INPUT=s3a://bucket/cs/input CSKPI_OUTPUT=s3a://bucket/cs/kpi "
            "CSKPI_CONF=/opt/cskpi/conf/cluster.conf /opt/cskpi/jobs/nightly.sh --master yarn --deploy-mode cluster"
        ),
    )
