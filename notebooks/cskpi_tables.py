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


def published_rows_sql(warehouse, table):
    """The SQL of the published rows of `table`: as of the published date (that of the succeeded run_log row with
    published = true and the highest run_seq), the rows of the latest succeeded run of that date that wrote the
    table. The same query as cskpi serve's <table>_current views and cskpi export (NotebookSqlTest and
    PublishingTest compare them)."""
    root = Path(warehouse).resolve()
    log = f"delta.`{root / 'run_log'}`"
    return (
        f"SELECT t.* FROM delta.`{root / table}` t LEFT SEMI JOIN ("
        f"SELECT as_of_date, max_by(run_id, run_seq) AS run_id FROM {log}"
        f" WHERE status = 'succeeded' AND map_contains_key(outputs, '{table}')"
        f" AND as_of_date = (SELECT max_by(as_of_date, run_seq) FROM {log} WHERE status = 'succeeded' AND published)"
        " GROUP BY as_of_date) r"
        " ON t.as_of_date = r.as_of_date AND t.run_id = r.run_id"
    )


def register_current_views(spark, warehouse):
    """Temporary views <table>_current of every result table in `warehouse`: its published rows (the same rows as
    cskpi serve's views and cskpi export). Returns the published as-of date."""
    root = Path(warehouse).resolve()
    run = (
        spark.read.format("delta").load(str(root / "run_log"))
        .where("status = 'succeeded' AND published")
        .orderBy("run_seq", ascending=False)
        .first()
    )
    if run is None:
        raise ValueError(f"no published run in {root}: run cskpi first")
    tables = sorted(p.name for p in root.iterdir() if (p / "_delta_log").is_dir() and p.name not in ("run_log", "kpi_catalog"))
    for table in tables:
        spark.sql(published_rows_sql(root, table)).drop("run_id").createOrReplaceTempView(f"{table}_current")
    return run["as_of_date"]


def kpi_sql(spark, name):
    """Runs notebooks/sql/<name>.sql against the _current views."""
    return spark.sql((SQL_DIR / f"{name}.sql").read_text())
