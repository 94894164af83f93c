package io.cskpi.kpi;

import static org.apache.spark.sql.functions.ceil;
import static org.apache.spark.sql.functions.collect_list;
import static org.apache.spark.sql.functions.floor;
import static org.apache.spark.sql.functions.get;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.size;
import static org.apache.spark.sql.functions.sort_array;
import static org.apache.spark.sql.functions.when;

import org.apache.spark.sql.Column;

/**
 * Exact percentiles with Spark's {@code percentile} semantics (linear interpolation between the closest ranks:
 * position p × (n − 1) in the sorted non-null values; null without a value), from one sorted list per group.
 * Spark's percentile keeps a map of value counts per group that it serializes between the partial and the final
 * aggregation; a list of doubles is far cheaper to move, and one list serves every percentile of a column.
 */
public final class Percentiles {
  private Percentiles() {}

  /** Aggregate: the group's non-null values of {@code value} as doubles, ascending. */
  public static Column sortedValues(Column value) {
    return sort_array(collect_list(value.cast("double")));   // compiled, unlike array_sort's comparator
  }

  /** The p-th percentile (p in [0, 1]) of a group's {@link #sortedValues}, as Spark's percentile computes it. */
  public static Column at(Column sorted, double p) {
    if (!(p >= 0 && p <= 1)) {
      throw new IllegalArgumentException("a percentile is in [0, 1], got " + p);
    }
    Column n = size(sorted);
    Column position = n.minus(1).cast("double").multiply(lit(p));
    Column lower = floor(position);
    Column higher = ceil(position);
    Column lowerValue = get(sorted, lower.cast("int"));
    Column higherValue = get(sorted, higher.cast("int"));
    // Spark's arithmetic, term by term, so results agree to the last bit.
    return when(n.gt(0), when(higher.equalTo(lower).or(lowerValue.equalTo(higherValue)), lowerValue)
        .otherwise(higher.minus(position).multiply(lowerValue).plus(position.minus(lower).multiply(higherValue))));
  }
}
