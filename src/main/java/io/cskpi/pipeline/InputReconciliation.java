package io.cskpi.pipeline;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.count;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.size;
import static org.apache.spark.sql.functions.when;

import io.cskpi.quality.Quarantine;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;

import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.TreeMap;

/**
 * For every input table: rows read = rows used + rows rejected. Read and used are counted on the checked input
 * (already cached for the run), rejected on the quarantine as written, so the identity checks the quarantine
 * itself: one row per rejected input row, none lost, none twice. The same read of the quarantine gives the
 * counts by rule the summary prints.
 */
public final class InputReconciliation {
  private InputReconciliation() {}

  /**
   * One input table's counts. {@code repeatedHeaders}: CSV lines equal to the header other than each file's
   * first (files concatenated with their headers): not rows, so not read, but never skipped unseen.
   * {@code rejectedByRule}: rejected rows per rule broken (a row counts under each of its rules).
   */
  public record Counts(String table, long read, long used, long rejected, long repeatedHeaders,
      Map<String, Long> rejectedByRule) {
    public boolean reconciles() {
      return read == used + rejected;
    }
  }

  /** Counts for each checked input (in order) against the written quarantine table. */
  public static Map<String, Counts> of(Map<String, Dataset<Row>> checked, Dataset<Row> quarantine) {
    Map<String, Long> rejected = new HashMap<>();
    Map<String, Map<String, Long>> byRule = new HashMap<>();
    for (Row r : quarantine.groupBy("table_name", "rules").count().collectAsList()) {
      String table = r.getString(0);
      rejected.merge(table, r.getLong(2), Long::sum);
      for (String rule : r.<String>getList(1)) {
        byRule.computeIfAbsent(table, t -> new TreeMap<>()).merge(rule, r.getLong(2), Long::sum);
      }
    }
    Dataset<Row> counts = null;
    for (Map.Entry<String, Dataset<Row>> t : checked.entrySet()) {
      Dataset<Row> in = t.getValue();
      Column isRow = Quarantine.isRow(in);
      Column repeatedHeaders = Arrays.asList(in.columns()).contains(Quarantine.HEADER_LINE)
          ? count(when(col(Quarantine.HEADER_LINE), lit(1))).minus(lit(in.schema().apply(Quarantine.HEADER_LINE)
              .metadata().getLong(Quarantine.FILES_WITH_HEADER)))
          : lit(0L);
      Dataset<Row> c = in.agg(lit(t.getKey()).as("table_name"), count(when(isRow, lit(1))).as("read"),
          count(when(isRow.and(size(col(Quarantine.VIOLATIONS)).equalTo(0)), lit(1))).as("used"),
          repeatedHeaders.cast("bigint").as("repeated_headers"));
      counts = counts == null ? c : counts.unionByName(c);
    }
    Map<String, Counts> out = new LinkedHashMap<>();
    checked.keySet().forEach(t -> out.put(t, null));
    if (counts != null) {
      for (Row r : counts.collectAsList()) {
        String table = r.getString(0);
        out.put(table, new Counts(table, r.getLong(1), r.getLong(2), rejected.getOrDefault(table, 0L), r.getLong(3),
            byRule.getOrDefault(table, Map.of())));
      }
    }
    return out;
  }
}
