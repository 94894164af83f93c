package io.cskpi;

import com.holdenkarau.spark.testing.JavaDataFrameSuiteBase;
import com.holdenkarau.spark.testing.SparkSessionProvider;
import io.cskpi.spark.Sessions;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.StructType;

import java.io.IOException;
import java.math.BigDecimal;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

/** Base of Spark tests: one shared local session per test JVM, and small DataFrame helpers. */
public abstract class SparkTest {
  protected static final SparkSession spark = Shared.SESSION;

  private static final class Shared {
    static final SparkSession SESSION = create();

    private static SparkSession create() {
      try {
        Path warehouse = Files.createTempDirectory("cskpi-test-warehouse");
        Runtime.getRuntime().addShutdownHook(new Thread(() -> deleteTree(warehouse)));
        return Sessions.getOrCreate("cskpi-tests", "local[2]", Map.of(
            "spark.sql.shuffle.partitions", "2",
            "spark.default.parallelism", "2",
            "spark.sql.warehouse.dir", warehouse.toString(),
            "spark.sql.adaptive.enabled", "false"));
      } catch (IOException e) {
        throw new IllegalStateException(e);
      }
    }
  }

  private static void deleteTree(Path root) {
    try (java.util.stream.Stream<Path> files = Files.walk(root)) {
      files.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
    } catch (IOException | RuntimeException e) {
      // best effort: a temp directory
    }
  }

  /** spark-testing-base's DataFrame assertions, driven from JUnit 5 with the shared session. */
  private static final class Frames extends JavaDataFrameSuiteBase {
    static final Frames INSTANCE = create();

    private static Frames create() {
      SparkSessionProvider._sparkSession_$eq(spark);
      return new Frames();
    }

    @Override
    public boolean enableHiveSupport() {
      return false;
    }
  }

  /** Equal rows in any order, same schema (nullability ignored). */
  protected static void assertSameRows(Dataset<Row> expected, Dataset<Row> actual) {
    Frames.INSTANCE.assertDataFrameNoOrderEquals(expected, nullable(actual, expected.columns()));
  }

  /** Equal rows up to 1e-9 on doubles, compared in the order of all columns. */
  protected static void assertSameRowsApprox(Dataset<Row> expected, Dataset<Row> actual) {
    org.apache.spark.sql.Column[] cols = Arrays.stream(expected.columns())
        .map(org.apache.spark.sql.functions::col).toArray(org.apache.spark.sql.Column[]::new);
    Frames.INSTANCE.assertDataFrameApproximateEquals(expected.orderBy(cols).coalesce(1),
        nullable(actual, expected.columns()).orderBy(cols).coalesce(1), 1e-9);
  }

  /** The named columns of {@code df}, all nullable: expected frames are built nullable. */
  private static Dataset<Row> nullable(Dataset<Row> df, String[] columns) {
    Dataset<Row> selected = df.select(Arrays.stream(columns).map(org.apache.spark.sql.functions::col)
        .toArray(org.apache.spark.sql.Column[]::new));
    StructType schema = new StructType();
    for (org.apache.spark.sql.types.StructField f : selected.schema().fields()) {
      schema = schema.add(f.name(), f.dataType(), true);
    }
    return spark.createDataFrame(selected.javaRDD(), schema);
  }

  /** A DataFrame from a DDL schema such as "customer_id STRING, mrr DECIMAL(18,2)" and rows of values. */
  protected static Dataset<Row> frame(String ddl, Object[]... rows) {
    StructType schema = StructType.fromDDL(ddl);
    List<Row> list = new ArrayList<>();
    for (Object[] r : rows) {
      list.add(RowFactory.create(r));
    }
    return spark.createDataFrame(list, schema);
  }

  protected static Object[] row(Object... values) {
    return values;
  }

  /** The rows of a small result by their first column's text (a group key). */
  protected static Map<String, Row> byFirstColumn(Dataset<Row> df) {
    Map<String, Row> rows = new java.util.HashMap<>();
    df.collectAsList().forEach(r -> rows.put(r.getString(0), r));
    return rows;
  }

  /**
   * For each data file that the Delta log files {@code logFiles} (a path or a glob) add: the columns whose minimum
   * and maximum its statistics record. Each file must record its row count and the same columns for both.
   */
  protected static List<java.util.Set<String>> statisticsColumns(String logFiles) {
    List<Row> stats = spark.read().json(logFiles).where("add IS NOT NULL")
        .selectExpr("from_json(add.stats, 'numRecords BIGINT, minValues MAP<STRING, STRING>, "
            + "maxValues MAP<STRING, STRING>') AS s").collectAsList();
    List<java.util.Set<String>> columns = new ArrayList<>();
    for (Row r : stats) {
      Row s = r.getStruct(0);
      org.junit.jupiter.api.Assertions.assertTrue(s.getLong(0) > 0, "files record their row counts");
      java.util.Set<String> min = new java.util.TreeSet<>(s.<String, String>getJavaMap(1).keySet());
      org.junit.jupiter.api.Assertions.assertEquals(min, new java.util.TreeSet<>(s.<String, String>getJavaMap(2).keySet()));
      columns.add(min);
    }
    return columns;
  }

  /** The Delta table's property {@code key}, or null when it is not set. */
  protected static String tableProperty(io.cskpi.io.Location table, String key) {
    List<Row> rows = spark.sql("SHOW TBLPROPERTIES " + table.deltaIdentifier()).where(
        org.apache.spark.sql.functions.col("key").equalTo(key)).collectAsList();
    return rows.isEmpty() ? null : rows.get(0).getString(1);
  }

  /** A file or directory under src/test/resources, from the test classpath. */
  protected static Path resource(String name) {
    try {
      return Path.of(SparkTest.class.getResource("/" + name).toURI());
    } catch (java.net.URISyntaxException | NullPointerException e) {
      throw new IllegalStateException("test resource not found: " + name, e);
    }
  }

  protected static LocalDate d(String iso) {
    return LocalDate.parse(iso);
  }

  protected static BigDecimal m(String amount) {
    return new BigDecimal(amount).setScale(2);
  }
}
