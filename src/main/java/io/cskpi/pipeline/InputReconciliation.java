package io.cskpi.pipeline;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.count;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.size;
import static org.apache.spark.sql.functions.when;

import io.cskpi.quality.Quarantine;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * For every input table: rows read = rows used + rows rejected. Read and used are counted on the checked input
 * (already cached for the run), rejected on the quarantine as written, so the identity checks the quarantine
 * itself: one row per rejected input row, none lost, none twice.
 */
public final class InputReconciliation {
  private InputReconciliation() {}

  /** One input table's counts. */
  public record Counts(String table, long read, long used, long rejected) {
    public boolean reconciles() {
      return read == used + rejected;
    }
  }

  /** Counts for each checked input (in order) against the written quarantine table. */
  public static Map<String, Counts> of(Map<String, Dataset<Row>> checked, Dataset<Row> quarantine) {
    Map<String, Long> rejected = new LinkedHashMap<>();
    quarantine.groupBy("table_name").count().collectAsList()
        .forEach(r -> rejected.put(r.getString(0), r.getLong(1)));
    Dataset<Row> counts = null;
    for (Map.Entry<String, Dataset<Row>> t : checked.entrySet()) {
      Dataset<Row> c = t.getValue().agg(lit(t.getKey()).as("table_name"), count(lit(1)).as("read"),
          count(when(size(col(Quarantine.VIOLATIONS)).equalTo(0), lit(1))).as("used"));
      counts = counts == null ? c : counts.unionByName(c);
    }
    Map<String, Counts> out = new LinkedHashMap<>();
    checked.keySet().forEach(t -> out.put(t, null));
    if (counts != null) {
      for (Row r : counts.collectAsList()) {
        String table = r.getString(0);
        out.put(table, new Counts(table, r.getLong(1), r.getLong(2), rejected.getOrDefault(table, 0L)));
      }
    }
    return out;
  }
}
