package io.cskpi.bench;

import static org.apache.spark.sql.functions.coalesce;
import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.count;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.xxhash64;

import io.cskpi.config.CskpiConfig;
import io.cskpi.io.Location;
import io.cskpi.io.TableFormat;
import io.cskpi.pipeline.FamilyPlan;
import io.cskpi.pipeline.NightlyPipeline;
import io.cskpi.schema.TableSpec;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;

import java.util.Arrays;
import java.util.List;

/**
 * The floor a run is measured against: one Spark query that reads every column of every input table the pipeline
 * reads, once, and aggregates it trivially (rows and a hash of every value, so no column is pruned).
 */
public final class FloorJob {
  private FloorJob() {}

  /** One row per input table: table, rows, checksum. */
  public static List<Row> run(SparkSession spark, CskpiConfig config, FamilyPlan plan) {
    Dataset<Row> all = null;
    for (TableSpec spec : plan.inputs()) {
      Location path = NightlyPipeline.inputLocation(spark, config, plan, spec);
      if (path == null) {
        continue;
      }
      Dataset<Row> table = read(spark, config.inputFormat(spec.name()), path);
      List<String> present = Arrays.asList(table.columns());
      Column[] used = spec.columns().stream().map(c -> c.name()).filter(present::contains).map(c -> col(c))
          .toArray(Column[]::new);
      // bit_xor of a hash of every value: no column is pruned, and no sum that overflows under ANSI mode.
      Column checksum = used.length == 0 ? lit(0L) : coalesce(org.apache.spark.sql.functions.bit_xor(xxhash64(used)),
          lit(0L));
      Dataset<Row> one = table.agg(count(lit(1)).as("rows"), checksum.as("checksum"))
          .select(lit(spec.name()).as("table"), col("rows"), col("checksum"));
      all = all == null ? one : all.unionByName(one);
    }
    return all == null ? List.of() : all.collectAsList();
  }

  private static Dataset<Row> read(SparkSession spark, TableFormat format, Location path) {
    return format.read(spark, path, csv -> spark.read().option("header", "true").csv(csv.toString()));
  }
}
