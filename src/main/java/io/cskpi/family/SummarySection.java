package io.cskpi.family;

import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;

import java.time.LocalDate;

/**
 * A family's part of the short text printed after a run, read back from the tables it wrote (small aggregated
 * rows only). Empty text for nothing to say.
 */
@FunctionalInterface
public interface SummarySection {
  SummarySection NONE = (written, asOf) -> "";

  String render(Written written, LocalDate asOf);

  /** The run's written result tables. */
  @FunctionalInterface
  interface Written {
    /** The table as written, or null when this run did not write it. */
    Dataset<Row> read(ResultTable table);
  }
}
