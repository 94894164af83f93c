package io.cskpi.io;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.from_csv;
import static org.apache.spark.sql.functions.input_file_name;
import static org.apache.spark.sql.functions.length;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.pmod;
import static org.apache.spark.sql.functions.regexp_replace;
import static org.apache.spark.sql.functions.translate;
import static org.apache.spark.sql.functions.trim;
import static org.apache.spark.sql.functions.when;

import com.univocity.parsers.csv.CsvParser;
import com.univocity.parsers.csv.CsvParserSettings;
import io.cskpi.quality.Quarantine;
import io.cskpi.schema.InputSchemaException;
import io.cskpi.schema.Schemas;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.hadoop.io.compress.CompressionCodec;
import org.apache.hadoop.io.compress.CompressionCodecFactory;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.MetadataBuilder;
import org.apache.spark.sql.types.StructType;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Reads CSV (RFC 4180: a header line, comma-separated unless {@link TextParsing} names another delimiter or quote,
 * a quote inside a quoted value doubled) so that no line is
 * lost or silently changed. Each line is parsed on its own with Spark's CSV parser ({@code from_csv}), keeping
 * the line: a line with more or fewer fields than the header, or with an unclosed quote, is marked malformed
 * (column {@link Quarantine#MALFORMED_LINE}) instead of being padded with nulls or truncated; Spark's own CSV
 * source cannot show an unclosed quote at a line's end. One record per line: a quoted value cannot span lines.
 * Every file must start with the same header; lines equal to it are marked ({@link Quarantine#HEADER_LINE}):
 * each file's first is its header, any other is counted as a repeated header (files concatenated with their
 * headers). Blank lines are not rows. All values are text, cast later by {@link InputReader#conform}.
 */
final class CsvInput {
  private CsvInput() {}

  private static final String BOM = "\uFEFF";
  private static final String PARSED = Quarantine.HIDDEN + "parsed";
  private static final String LINE = Quarantine.HIDDEN + "line";
  private static final String CORRUPT = Quarantine.HIDDEN + "corrupt";
  private static final String TRAILING_BLANKS = "[ \\t]+$";

  static Dataset<Row> read(SparkSession spark, String table, Location location, TextParsing parsing) {
    Dataset<Row> text = spark.read().text(location.toString());
    Map<String, String> headers = headers(spark, table, text.inputFiles());
    String header = headers.values().iterator().next();
    List<String> names = headerNames(table, header, parsing);
    String quote = String.valueOf(parsing.quote());

    StructType schema = new StructType();
    for (String n : names) {
      schema = schema.add(n, DataTypes.StringType);
    }
    schema = schema.add(CORRUPT, DataTypes.StringType);
    Map<String, String> options = Map.of("mode", "PERMISSIVE", "columnNameOfCorruptRecord", CORRUPT,
        "escape", quote, "quote", quote, "sep", String.valueOf(parsing.delimiter()));

    Column line = col(LINE);
    Column quotes = length(line).minus(length(translate(line, quote, "")));
    Column malformed = col(PARSED + "." + CORRUPT).isNotNull().or(pmod(quotes, lit(2)).equalTo(1));
    List<Column> out = new ArrayList<>();
    for (String n : names) {
      out.add(col(PARSED).getField(n).as(n));
    }
    out.add(col(Quarantine.SOURCE_FILE));
    Column isHeader = regexp_replace(line, TRAILING_BLANKS, "").equalTo(lit(header));
    out.add(when(malformed.and(isHeader.unary_$bang()), line).as(Quarantine.MALFORMED_LINE));
    // The number of files, each with one header line, rides along as the column's metadata: lines equal to the
    // header beyond it are repeated headers, counted without another pass over the data.
    out.add(isHeader.as(Quarantine.HEADER_LINE,
        new MetadataBuilder().putLong(Quarantine.FILES_WITH_HEADER, headers.size()).build()));
    return text
        .select(regexp_replace(col("value"), "^" + BOM, "").as(LINE), input_file_name().as(Quarantine.SOURCE_FILE))
        .filter(trim(line).notEqual(""))
        .withColumn(PARSED, from_csv(line, lit(schema.toDDL()), options))
        .select(out.toArray(Column[]::new));
  }

  /**
   * The header line of each file of the table that has one (its first non-blank line, without a byte-order mark
   * or trailing blanks), all the same: files that disagree are a schema error, their columns would be misread
   * by position.
   */
  private static Map<String, String> headers(SparkSession spark, String table, String[] files) {
    Map<String, String> byFile = new LinkedHashMap<>();
    CompressionCodecFactory codecs = new CompressionCodecFactory(spark.sparkContext().hadoopConfiguration());
    for (String f : Arrays.stream(files).sorted().toList()) {
      String first = firstLine(spark, codecs, new Path(java.net.URI.create(f)));   // inputFiles() are URIs
      if (first != null) {
        byFile.put(f, first);
      }
    }
    if (byFile.isEmpty()) {
      throw new InputSchemaException("table '" + table + "': no CSV header line (the files are empty)");
    }
    String header = byFile.values().iterator().next();
    for (Map.Entry<String, String> f : byFile.entrySet()) {
      if (!f.getValue().equals(header)) {
        throw new InputSchemaException("table '" + table + "': CSV files disagree on the header: "
            + byFile.keySet().iterator().next() + " has '" + header + "', " + f.getKey() + " has '" + f.getValue()
            + "'; every file of a table needs the same header");
      }
    }
    return byFile;
  }

  private static String firstLine(SparkSession spark, CompressionCodecFactory codecs, Path file) {
    try {
      FileSystem fs = file.getFileSystem(spark.sparkContext().hadoopConfiguration());
      CompressionCodec codec = codecs.getCodec(file);
      try (InputStream raw = fs.open(file);
           InputStream in = codec == null ? raw : codec.createInputStream(raw);
           BufferedReader reader = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8))) {
        String l;
        while ((l = reader.readLine()) != null) {
          l = l.startsWith(BOM) ? l.substring(1) : l;
          if (!l.isBlank()) {
            return l.replaceAll(TRAILING_BLANKS, "");
          }
        }
        return null;
      }
    } catch (IOException e) {
      throw new InputSchemaException("cannot read " + file + ": " + e.getMessage());
    }
  }

  /** Column names of the header: none empty, none equal to another but for case. */
  private static List<String> headerNames(String table, String header, TextParsing parsing) {
    CsvParserSettings settings = new CsvParserSettings();
    settings.getFormat().setDelimiter(parsing.delimiter());
    settings.getFormat().setQuote(parsing.quote());
    settings.getFormat().setQuoteEscape(parsing.quote());
    settings.setMaxColumns(100_000);
    String[] fields = new CsvParser(settings).parseLine(header);
    List<String> names = new ArrayList<>();
    for (int i = 0; i < fields.length; i++) {
      String name = fields[i] == null ? "" : fields[i].strip();
      if (name.isEmpty()) {
        throw new InputSchemaException("table '" + table + "': CSV header column " + (i + 1) + " has no name");
      }
      names.add(name);
    }
    // Before Spark sees them: it would resolve two such names ambiguously.
    Schemas.requireNoCaseDuplicates(table, names);
    return names;
  }
}
