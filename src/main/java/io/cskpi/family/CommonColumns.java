package io.cskpi.family;

import static org.apache.spark.sql.types.DataTypes.DateType;
import static org.apache.spark.sql.types.DataTypes.StringType;

/**
 * Columns many result tables share, defined once: the month × dimension × segment grain of every
 * {@code *_monthly} table, the segment columns copied from customers, and the run's as-of date.
 */
public final class CommonColumns {
  private CommonColumns() {}

  private static final String SEGMENT_NOTE = " Segments: dimension 'all' (segment 'all') or a customers column "
      + "from conf cskpi.segments; a null value is segment 'unknown'.";

  public static final ResultColumn AS_OF_DATE = new ResultColumn("as_of_date", DateType, false,
      "The as-of date of the run that wrote the row.");
  public static final ResultColumn RUN_ID = new ResultColumn("run_id", StringType, false,
      "The run that wrote the row (run_log.run_id). Readers see one run per as-of date: the latest succeeded run "
      + "that wrote the table; rows of a failed or superseded run stay out of every view and export.");
  public static final ResultColumn PERIOD_MONTH = new ResultColumn("period_month", DateType, false,
      "First day of the month the row describes (UTC).");
  public static final ResultColumn DIMENSION = new ResultColumn("dimension", StringType, false,
      "'all' or the name of the customers column the row is broken down by." + SEGMENT_NOTE);
  public static final ResultColumn SEGMENT = new ResultColumn("segment", StringType, false,
      "The value of that column ('all' for dimension all; null is 'unknown').");

  /** A segment column copied from customers into a result (plan, region, ...). */
  public static ResultColumn segmentColumn(String column) {
    return new ResultColumn(column, StringType, false,
        "The customer's " + column + " from the customers table ('unknown' when null).");
  }
}
