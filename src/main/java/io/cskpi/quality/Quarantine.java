package io.cskpi.quality;

import static org.apache.spark.sql.functions.array;
import static org.apache.spark.sql.functions.array_join;
import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.concat;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.size;
import static org.apache.spark.sql.functions.struct;
import static org.apache.spark.sql.functions.to_json;
import static org.apache.spark.sql.functions.transform;
import static org.apache.spark.sql.functions.when;

import io.cskpi.schema.TableSpec;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Splits an input into rows that keep every rule and rows that break one. Bad rows are never dropped: each
 * becomes one quarantine row (table_name, rules, rule_description, source_file, raw_line, raw_row) listing
 * every rule it broke, so rows read = rows used + rows rejected for every input table.
 */
public final class Quarantine {
  private Quarantine() {}

  /** Prefix of the hidden working columns the pipeline adds to an input; user columns never carry it. */
  public static final String HIDDEN = "_cskpi_";
  /** Hidden column: names of the rules a row breaks (empty = clean). */
  public static final String VIOLATIONS = HIDDEN + "violations";
  /** Hidden column prefix: the source text of a column that was cast from CSV text. */
  public static final String SOURCE_PREFIX = HIDDEN + "src_";
  /** Hidden column prefix: a source column as read, where a mapped column of the same name replaced it. */
  public static final String RAW_PREFIX = HIDDEN + "raw_";
  /** Metadata key of a column the source does not have (mapped, or absent and added as null): not in raw_row. */
  public static final String NOT_IN_SOURCE = "cskpi_not_in_source";
  /**
   * Metadata key of a source column that is neither the data model's nor read by a mapping (names, e-mails,
   * notes, ...): left out of raw_row unless conf cskpi.quarantine.keep-source-columns is true.
   */
  public static final String EXTRA_SOURCE_COLUMN = "cskpi_extra_source_column";
  /** Metadata key of a source column a mapping's expression or where reads: kept in raw_row. */
  public static final String MAPPING_READS = "cskpi_mapping_reads";
  /** Hidden column: messages of values that could not be cast to their column's type. */
  public static final String CAST_ERRORS = HIDDEN + "cast_errors";
  /** Hidden column: the file a CSV row was read from. */
  public static final String SOURCE_FILE = HIDDEN + "source_file";
  /** Hidden column: true for a CSV line equal to the header (a file's header, or a repeated one): not a row. */
  public static final String HEADER_LINE = HIDDEN + "header_line";
  /** Metadata key of {@link #HEADER_LINE}: how many files of the table start with the header. */
  public static final String FILES_WITH_HEADER = "files_with_header";
  /** Hidden column: the CSV line as read, when its structure is broken (else null). */
  public static final String MALFORMED_LINE = HIDDEN + "malformed_line";

  public static final String INVALID_VALUE = "invalid_value";
  public static final String MALFORMED_RECORD = "malformed_record";
  public static final String DUPLICATE_KEY = "duplicate_key";
  static final String MALFORMED_DESCRIPTION =
      "a CSV line must have as many fields as the header and balanced quotes";

  /**
   * Adds {@link #VIOLATIONS}: the names of {@code rules} a row breaks, after invalid_value when a CSV value
   * failed to parse. A CSV line whose structure is broken breaks malformed_record only: its fields are not
   * trustworthy enough to judge.
   */
  public static Dataset<Row> withViolations(Dataset<Row> rows, List<RowRule> rules) {
    List<String> cols = Arrays.asList(rows.columns());
    List<Column> names = new ArrayList<>();
    for (RowRule r : rules) {
      Column violated = r.violated();
      if (r.notNullColumn() != null && cols.contains(SOURCE_PREFIX + r.notNullColumn())) {
        // Text that failed to parse is invalid_value; null means no text at all.
        violated = col(SOURCE_PREFIX + r.notNullColumn()).isNull();
      }
      names.add(when(violated, lit(r.name())));
    }
    Column broken = present(names);
    if (cols.contains(CAST_ERRORS)) {
      broken = concat(when(size(col(CAST_ERRORS)).gt(0), array(lit(INVALID_VALUE)))
          .otherwise(noTexts()), broken);
    }
    if (cols.contains(MALFORMED_LINE)) {
      broken = when(col(MALFORMED_LINE).isNotNull(), array(lit(MALFORMED_RECORD))).otherwise(broken);
    }
    if (cols.contains(HEADER_LINE)) {
      broken = when(col(HEADER_LINE), noTexts()).otherwise(broken);
    }
    return rows.withColumn(VIOLATIONS, broken);
  }

  /**
   * The non-null values of {@code texts} (string columns: a rule's name or a message, null when it does not apply),
   * in order, as an array; empty when none applies. Each as an array of one or none, concatenated: compiled, where
   * filtering an array with a lambda is interpreted for every input row (a third of the check's time on usage
   * events).
   */
  public static Column present(List<Column> texts) {
    List<Column> parts = new ArrayList<>(List.of(noTexts()));
    texts.forEach(t -> parts.add(when(t.isNotNull(), array(t)).otherwise(noTexts())));
    return concat(parts.toArray(Column[]::new));
  }

  private static Column noTexts() {
    return array().cast("array<string>");
  }

  /** True for the rows of an input (everything but CSV header lines). */
  public static Column isRow(Dataset<Row> checked) {
    return Arrays.asList(checked.columns()).contains(HEADER_LINE) ? col(HEADER_LINE).unary_$bang() : lit(true);
  }

  /** The rows that keep every rule, without the hidden columns. */
  public static Dataset<Row> clean(Dataset<Row> checked) {
    return dropHidden(checked.filter(size(col(VIOLATIONS)).equalTo(0).and(isRow(checked))));
  }

  /**
   * One quarantine row per rejected input row: every rule it broke with what each requires, the file (CSV),
   * the line as read (malformed CSV) and the row as read as JSON (CSV text where a value failed to parse; the
   * source's columns only, not those a mapping computed or the reader added as null).
   */
  public static Dataset<Row> rejected(TableSpec spec, Dataset<Row> checked, List<RowRule> rules) {
    return rejected(spec, checked, rules, false);
  }

  /**
   * As {@link #rejected(TableSpec, Dataset, List)}; {@code keepSourceColumns}: raw_row holds every source column,
   * not only the data model's and those a mapping reads.
   */
  public static Dataset<Row> rejected(TableSpec spec, Dataset<Row> checked, List<RowRule> rules,
      boolean keepSourceColumns) {
    List<String> cols = Arrays.asList(checked.columns());
    // The row as the source has it: its columns (a replaced one as read), none the mapping or reader added.
    List<Column> raw = new ArrayList<>();
    for (org.apache.spark.sql.types.StructField f : checked.schema().fields()) {
      String c = f.name();
      if (c.startsWith(RAW_PREFIX)) {
        raw.add(col(c).as(c.substring(RAW_PREFIX.length())));
      } else if (!c.startsWith(HIDDEN) && !f.metadata().contains(NOT_IN_SOURCE)
          && (keepSourceColumns || !f.metadata().contains(EXTRA_SOURCE_COLUMN))) {
        raw.add((cols.contains(SOURCE_PREFIX + c) ? col(SOURCE_PREFIX + c) : col(c)).as(c));
      }
    }
    Column castDetail = cols.contains(CAST_ERRORS) ? array_join(col(CAST_ERRORS), "; ") : lit("");
    Column descriptions = transform(col(VIOLATIONS), rule -> {
      Column text = when(rule.equalTo(INVALID_VALUE), concat(lit("values must parse as the column's type: "),
          castDetail))
          .when(rule.equalTo(MALFORMED_RECORD), lit(MALFORMED_DESCRIPTION))
          .when(rule.equalTo(DUPLICATE_KEY), lit(InputChecks.duplicateDescription(spec)));
      for (RowRule r : rules) {
        text = text.when(rule.equalTo(r.name()), lit(r.description()));
      }
      return concat(rule, lit(": "), text);
    });
    Column sourceFile = cols.contains(SOURCE_FILE) ? col(SOURCE_FILE) : lit(null).cast("string");
    Column rawLine = cols.contains(MALFORMED_LINE) ? col(MALFORMED_LINE) : lit(null).cast("string");
    return checked
        .filter(size(col(VIOLATIONS)).gt(0))
        .select(lit(spec.name()).as("table_name"), col(VIOLATIONS).as("rules"),
            array_join(descriptions, "; ").as("rule_description"), sourceFile.as("source_file"),
            rawLine.as("raw_line"),
            to_json(struct(raw.toArray(Column[]::new)), java.util.Map.of("ignoreNullFields", "false")).as("raw_row"));
  }

  /** Metadata marking a column the source does not have ({@link #NOT_IN_SOURCE}). */
  public static org.apache.spark.sql.types.Metadata notInSource() {
    return new org.apache.spark.sql.types.MetadataBuilder().putBoolean(NOT_IN_SOURCE, true).build();
  }

  /** {@code df} without the pipeline's hidden working columns. */
  public static Dataset<Row> dropHidden(Dataset<Row> df) {
    return df.drop(Arrays.stream(df.columns()).filter(c -> c.startsWith(HIDDEN)).toArray(String[]::new));
  }
}
