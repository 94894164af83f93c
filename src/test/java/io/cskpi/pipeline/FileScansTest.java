package io.cskpi.pipeline;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.cskpi.SparkTest;
import io.cskpi.io.Location;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.storage.StorageLevel;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;

/** The scan counter behind the run's "scanned once" check: it must see a second read, and not count a cache's. */
class FileScansTest extends SparkTest {
  private static String parquet;
  private static String delta;

  @BeforeAll
  static void tables() throws Exception {
    Path dir = Files.createTempDirectory("cskpi-scans");
    parquet = Location.of(spark, dir.resolve("p").toString()).toString();
    delta = Location.of(spark, dir.resolve("d").toString()).toString();
    spark.range(100).toDF("n").write().parquet(parquet);
    spark.range(100).toDF("n").write().format("delta").save(delta);
  }

  @Test
  void twoQueriesOverATableAreTwoScansAndAJoinOfItWithItselfIsTwo() {
    try (FileScans scans = FileScans.listen(spark)) {
      spark.read().parquet(parquet).count();
      spark.read().parquet(parquet).filter("n > 5").collectAsList();
      assertEquals(2, scans.scansOf(parquet));
      Dataset<Row> d = spark.read().format("delta").load(delta);
      d.join(d.withColumnRenamed("n", "m"), d.col("n").equalTo(org.apache.spark.sql.functions.col("m"))).count();
      assertEquals(2, scans.scansOf(delta), scans.byPath().toString());
      assertEquals(0, scans.scansOf(parquet + "_other"));
    }
  }

  @Test
  void aPersistedTableReadByManyQueriesIsOneScan() {
    try (FileScans scans = FileScans.listen(spark)) {
      Dataset<Row> cached = spark.read().format("delta").load(delta).persist(StorageLevel.MEMORY_AND_DISK());
      try {
        cached.count();
        cached.filter("n > 5").count();
        cached.groupBy().sum("n").collectAsList();
        assertEquals(1, scans.scansOf(delta), scans.byPath().toString());
      } finally {
        cached.unpersist(true);
      }
    }
  }
}
