package io.cskpi.family;

import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataType;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.StructType;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * A result table as its family declares it: name, description, columns (type, nullability, definition) in
 * order, partitioning and write mode. The pipeline checks each computed result against it before writing, writes
 * the definitions as column comments and generates the README's KPI catalog from it. Every table also gets
 * {@link CommonColumns#AS_OF_DATE}, added by the pipeline.
 */
public final class ResultTable {
  /** How a run writes the table. */
  public enum WriteMode {
    /**
     * The table keeps every as-of date a run computed, partitioned by as_of_date: a run writes its date's
     * partition and a rerun of that date replaces it (never duplicates); readers select the published date.
     */
    AS_OF,
    /** The run adds its rows (the run log). */
    APPEND
  }

  private final String name;
  private final String description;
  private final String grain;
  private final List<ResultColumn> columns;
  private final boolean segmentColumns;
  private final List<String> partitionBy;
  private final WriteMode writeMode;

  private ResultTable(Builder b) {
    this.name = b.name;
    this.description = b.description;
    this.grain = b.grain;
    this.columns = List.copyOf(b.columns);
    this.segmentColumns = b.segmentColumns;
    this.partitionBy = List.copyOf(b.partitionBy);
    this.writeMode = b.writeMode;
  }

  public static Builder named(String name, String description) {
    return new Builder(name, description);
  }

  public String name() { return name; }
  public String description() { return description; }
  /** What one row is, e.g. "month × dimension × segment". */
  public String grain() { return grain; }
  /** The declared columns, without the segment columns (which depend on conf) and as_of_date. */
  public List<ResultColumn> columns() { return columns; }
  /** True when the table ends with one column per conf cskpi.segments (the customer's segment values). */
  public boolean hasSegmentColumns() { return segmentColumns; }
  public List<String> partitionBy() { return partitionBy; }
  /** The table's partition columns on disk: as_of_date first for an {@link WriteMode#AS_OF} table. */
  public List<String> storagePartitions() {
    List<String> all = new ArrayList<>();
    if (writeMode == WriteMode.AS_OF) {
      all.add(CommonColumns.AS_OF_DATE.name());
    }
    all.addAll(partitionBy);
    return all;
  }
  public WriteMode writeMode() { return writeMode; }

  /** Every column the family computes for these segment dimensions, in order (as_of_date excluded). */
  public List<ResultColumn> columns(List<String> segments) {
    List<ResultColumn> all = new ArrayList<>(columns);
    if (segmentColumns) {
      for (String s : segments) {
        if (column(s).isPresent()) {
          throw new IllegalStateException("result table " + name + " declares column " + s + ", which is also a "
              + "segment dimension (cskpi.segments): rename the declared column");
        }
        all.add(CommonColumns.segmentColumn(s));
      }
    }
    return all;
  }

  /** The schema the family's result must have, exactly (as_of_date excluded). */
  public StructType schema(List<String> segments) {
    return new StructType(columns(segments).stream()
        .map(c -> new StructField(c.name(), c.type(), c.nullable(), org.apache.spark.sql.types.Metadata.empty()))
        .toArray(StructField[]::new));
  }

  /**
   * A one-row result from named values (a model's fit, a run's parameters): each declared column takes the value
   * of its name, null when absent. Built with every column nullable, so the pipeline's check of the declared
   * nullability applies to it like to any computed result.
   */
  public Dataset<Row> row(SparkSession spark, Map<String, ?> values) {
    if (segmentColumns) {
      throw new IllegalStateException("result table " + name + " has segment columns: not a one-row table");
    }
    StructType declared = schema(List.of());
    StructType nullable = new StructType(Arrays.stream(declared.fields())
        .map(f -> f.copy(f.name(), f.dataType(), true, f.metadata())).toArray(StructField[]::new));
    Object[] row = Arrays.stream(declared.fieldNames()).map(values::get).toArray();
    return spark.createDataFrame(List.of(RowFactory.create(row)), nullable);
  }

  /** {@code rows}' declared columns in declared order (a family computes extra columns on the way). */
  public Dataset<Row> selectFrom(Dataset<Row> rows, List<String> segments) {
    return rows.select(columns(segments).stream().map(c -> org.apache.spark.sql.functions.col(c.name()))
        .toArray(org.apache.spark.sql.Column[]::new));
  }

  public Optional<ResultColumn> column(String column) {
    return columns.stream().filter(c -> c.name().equals(column)).findFirst();
  }

  @Override
  public String toString() {
    return name;
  }

  public static final class Builder {
    private final String name;
    private final String description;
    private String grain;
    private final List<ResultColumn> columns = new ArrayList<>();
    private boolean segmentColumns;
    private final List<String> partitionBy = new ArrayList<>();
    private WriteMode writeMode = WriteMode.AS_OF;

    private Builder(String name, String description) {
      if (!name.matches("[a-z][a-z0-9_]*")) {
        throw new IllegalArgumentException("result table name must be snake_case: " + name);
      }
      this.name = name;
      this.description = description;
    }

    /** What one row is, e.g. "month × dimension × segment". */
    public Builder grain(String rowIs) {
      this.grain = rowIs;
      return this;
    }

    /** A column that is never null. */
    public Builder column(String column, DataType type, String definition) {
      return add(new ResultColumn(column, type, false, definition));
    }

    /** A column that may be null; the definition says when. */
    public Builder nullable(String column, DataType type, String definition) {
      return add(new ResultColumn(column, type, true, definition));
    }

    /** A shared column (see {@link CommonColumns}). */
    public Builder column(ResultColumn shared) {
      return add(shared);
    }

    /** period_month, dimension, segment: the grain of every *_monthly table. */
    public Builder monthlyBySegment() {
      return add(CommonColumns.PERIOD_MONTH).add(CommonColumns.DIMENSION).add(CommonColumns.SEGMENT);
    }

    /** Ends the table with the customer's segment columns, one per conf cskpi.segments. */
    public Builder segmentColumns() {
      this.segmentColumns = true;
      return this;
    }

    public Builder partitionedBy(String... columns) {
      partitionBy.addAll(List.of(columns));
      return this;
    }

    public Builder writeMode(WriteMode mode) {
      this.writeMode = mode;
      return this;
    }

    private Builder add(ResultColumn c) {
      if (columns.stream().anyMatch(x -> x.name().equals(c.name())) || c.name().equals(CommonColumns.AS_OF_DATE.name())) {
        throw new IllegalArgumentException("result table " + name + ": column " + c.name() + " declared twice");
      }
      columns.add(c);
      return this;
    }

    public ResultTable build() {
      if (grain == null) {
        throw new IllegalArgumentException("result table " + name + ": declare its grain (what one row is)");
      }
      for (String p : partitionBy) {
        if (columns.stream().noneMatch(c -> c.name().equals(p))) {
          throw new IllegalArgumentException("result table " + name + ": partition column " + p + " not declared");
        }
      }
      return new ResultTable(this);
    }
  }
}
