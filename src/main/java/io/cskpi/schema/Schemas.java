package io.cskpi.schema;

import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.types.DataType;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.DecimalType;

import java.util.Arrays;
import java.util.List;
import java.util.Set;

/** Column checks that transformations run first, so a wrong input fails with the missing column's name. */
public final class Schemas {
  private Schemas() {}

  public static final DecimalType MONEY = DataTypes.createDecimalType(18, 2);

  /** Fails naming the first of {@code columns} that {@code df} lacks. */
  public static void requireColumns(Dataset<Row> df, String... columns) {
    Set<String> present = Set.of(df.columns());
    for (String c : columns) {
      if (!present.contains(c)) {
        throw new IllegalArgumentException(
            "missing column '" + c + "'; needs " + Arrays.toString(columns) + ", has " + present);
      }
    }
  }

  /** True if a value of {@code actual} can be read as {@code expected} without loss of meaning. */
  public static boolean isCompatible(DataType actual, DataType expected) {
    if (actual.equals(expected)) {
      return true;
    }
    if (expected instanceof DecimalType) {
      return actual instanceof DecimalType || isIntegral(actual);
    }
    if (expected.equals(DataTypes.IntegerType) || expected.equals(DataTypes.LongType)) {
      return isIntegral(actual);
    }
    if (expected.equals(DataTypes.TimestampType)) {
      return actual.equals(DataTypes.TimestampNTZType) || actual.equals(DataTypes.DateType);
    }
    return false;
  }

  /**
   * Column names are case-insensitive: two names of one table that differ only in case are a schema error
   * naming both (whatever the format: CSV header, Parquet or Delta schema, a DataFrame).
   */
  public static void requireNoCaseDuplicates(String table, Iterable<String> names) {
    java.util.Map<String, String> seen = new java.util.HashMap<>();
    for (String name : names) {
      String other = seen.putIfAbsent(name.toLowerCase(java.util.Locale.ROOT), name);
      if (other != null) {
        throw new InputSchemaException("table '" + table + "': columns '" + other + "' and '" + name
            + "' differ only in case; column names are case-insensitive, so rename or drop one");
      }
    }
  }

  /** True for the integral and decimal types. */
  public static boolean isNumeric(DataType t) {
    return isIntegral(t) || t instanceof DecimalType;
  }

  private static boolean isIntegral(DataType t) {
    return List.of(DataTypes.ByteType, DataTypes.ShortType, DataTypes.IntegerType, DataTypes.LongType)
        .contains(t);
  }

  /** The type's name as users write it in the data model, e.g. DECIMAL(18,2). */
  public static String sqlName(DataType t) {
    return t.sql();
  }
}
