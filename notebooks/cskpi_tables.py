"""Reads cs-kpi's result tables in a notebook as BI tools do: the published run's rows, by name.

    from cskpi_tables import spark_session, register_current_views, kpi_sql
    spark = spark_session()
    register_current_views(spark, "../warehouse")
    kpi_sql(spark, "mrr_bridge").toPandas()

The SQL lives in notebooks/sql/*.sql; the test suite runs every file against the tables of a generated run
(io.cskpi.pipeline.NotebookSqlTest), so a renamed column breaks a test, not a notebook.
"""
from pathlib import Path

SQL_DIR = Path(__file__).resolve().parent / "sql"


def spark_session(app_name="cskpi notebook"):
    """A local Spark session with Delta (pip install "pyspark==3.5.6" "delta-spark>=3.3,<3.4")."""
    from delta import configure_spark_with_delta_pip
    from pyspark.sql import SparkSession

    builder = (
        SparkSession.builder.appName(app_name)
        .master("local[*]")
        .config("spark.sql.extensions", "io.delta.sql.DeltaSparkSessionExtension")
        .config("spark.sql.catalog.spark_catalog", "org.apache.spark.sql.delta.catalog.DeltaCatalog")
        .config("spark.sql.session.timeZone", "UTC")
    )
    return configure_spark_with_delta_pip(builder).getOrCreate()


def register_current_views(spark, warehouse):
    """Temporary views <table>_current: the published run's rows of every table it wrote, in the version it wrote
    (the same rows as cskpi serve's views and cskpi export). Returns the published as-of date."""
    root = Path(warehouse).resolve()
    run = (
        spark.read.format("delta").load(str(root / "run_log"))
        .where("status = 'succeeded' AND published")
        .orderBy("finished_at", ascending=False)
        .first()
    )
    if run is None:
        raise ValueError(f"no published run in {root}: run cskpi first")
    for table, version in run["outputs"].items():
        (
            spark.read.format("delta").option("versionAsOf", version).load(str(root / table))
            .where(f"as_of_date = DATE'{run['as_of_date']}'")
            .createOrReplaceTempView(f"{table}_current")
        )
    return run["as_of_date"]


def kpi_sql(spark, name):
    """Runs notebooks/sql/<name>.sql against the _current views."""
    return spark.sql((SQL_DIR / f"{name}.sql").read_text())
