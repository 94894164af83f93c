package io.cskpi.quality;

import org.apache.spark.sql.Column;

/**
 * A rule every row of {@code table} must keep. {@code violated} is true for a bad row; a null result counts
 * as kept, so write rules that handle nulls explicitly.
 */
public record RowRule(String table, String name, String description, Column violated) {}
