package io.cskpi.family;

import org.apache.spark.sql.types.DataType;

/** One declared column of a result table: its type, whether it may be null, and its one written definition. */
public record ResultColumn(String name, DataType type, boolean nullable, String definition) {}
