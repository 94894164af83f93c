package io.cskpi.cli;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.struct;
import static org.apache.spark.sql.functions.to_csv;
import static org.apache.spark.sql.functions.to_json;

import io.cskpi.config.CskpiConfig;
import io.cskpi.io.Location;
import io.cskpi.pipeline.RunLog;
import io.cskpi.schema.InputSchemaException;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.ArrayType;
import org.apache.spark.sql.types.MapType;
import org.apache.spark.sql.types.StructType;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.io.PrintStream;
import java.util.Arrays;
import java.util.Iterator;
import java.util.Map;
import java.util.concurrent.Callable;

/** {@code cskpi export}: prints a result table to stdout, streaming one partition at a time. */
@Command(name = "export", mixinStandardHelpOptions = true, description = "Print a result table as CSV or JSON lines.")
public final class ExportCommand implements Callable<Integer> {
  @Mixin CommonOptions common = new CommonOptions();

  @Parameters(index = "0", paramLabel = "TABLE", description = "Result table name, e.g. revenue_monthly")
  String table;

  @Mixin OutputOption outputs = new OutputOption();

  @Option(names = "--format", description = "csv | json (default csv)")
  String format = "csv";

  @Option(names = "--as-of", paramLabel = "YYYY-MM-DD",
      description = "As-of date to export (its latest succeeded run); default: the published run's")
  java.time.LocalDate asOf;

  @Override
  public Integer call() {
    if (!format.equals("csv") && !format.equals("json")) {
      throw new IllegalArgumentException("--format must be csv or json, got: " + format);
    }
    CskpiConfig config = outputs.applyTo(common.config());
    SparkSession spark = Cskpi.session(config, "cskpi export " + table);
    Location dir = Location.of(spark, config.outputDir());
    Location path = dir.child(table);
    if (!path.exists(spark)) {
      throw new InputSchemaException("result table '" + table + "' not found at " + path);
    }
    write(RunLog.read(spark, dir, table, asOf), format, System.out);
    return 0;
  }

  /** Writes {@code df} as CSV with a header, or as JSON lines, to {@code out}. */
  static void write(Dataset<Row> df, String format, PrintStream out) {
    Iterator<String> lines;
    if (format.equals("json")) {
      lines = df.toJSON().toLocalIterator();
    } else {
      out.println(String.join(",", df.columns()));
      // CSV holds no arrays or structs (quarantine.rules): those columns are written as JSON text.
      Column[] cols = Arrays.stream(df.schema().fields()).map(f -> f.dataType() instanceof ArrayType
          || f.dataType() instanceof MapType || f.dataType() instanceof StructType
          ? to_json(col(f.name())).as(f.name()) : col(f.name())).toArray(Column[]::new);
      lines = df.select(to_csv(struct(cols), Map.of("nullValue", "", "emptyValue", "\"\"", "escape", "\"")))
          .as(org.apache.spark.sql.Encoders.STRING()).toLocalIterator();
    }
    while (lines.hasNext()) {
      out.println(lines.next());
    }
    out.flush();
  }
}
