package io.cskpi.pipeline;

import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;

import java.util.List;

/** A result to write: the Delta table's name, its rows, its partition columns and what it holds. */
public record OutputTable(String name, Dataset<Row> rows, List<String> partitionBy, String description) {}
