package io.cskpi.cli;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.count;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.min;
import static org.apache.spark.sql.functions.percentile;
import static org.apache.spark.sql.functions.when;

import io.cskpi.config.InvalidSettingException;
import io.cskpi.io.Location;
import io.cskpi.io.TableFormat;
import io.cskpi.kpi.support.EventLogTickets;
import io.cskpi.kpi.support.EventLogTickets.Mapping;
import io.cskpi.kpi.support.SupportMetrics;
import io.cskpi.schema.InputSchemaException;
import io.cskpi.schema.InputTables;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.storage.StorageLevel;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;

/** {@code cskpi tickets-from-event-log}: a help-desk event log (CSV, one row per event) as the tickets table. */
@Command(name = "tickets-from-event-log", mixinStandardHelpOptions = true,
    description = "Convert a help-desk event log (CSV with a header, one row per event of a case) to the tickets "
        + "input table; the defaults fit the Italian help-desk log (finale.csv).")
public final class TicketsFromEventLogCommand implements Callable<Integer> {
  private static final Mapping D = Mapping.HELPDESK_DEFAULTS;

  @Mixin CommonOptions common = new CommonOptions();

  @Option(names = "--input", required = true, paramLabel = "FILE", description = "The event log: CSV with a header")
  String input;
  @Option(names = "--output", required = true, paramLabel = "DIR", description = "Writes DIR/tickets")
  String output;
  @Option(names = "--format", description = "delta | parquet | csv (default ${DEFAULT-VALUE})") String format = "delta";
  @Option(names = "--case-col", paramLabel = "C", description = "Case (ticket) column (default '${DEFAULT-VALUE}')")
  String caseCol = D.caseColumn();
  @Option(names = "--activity-col", paramLabel = "C", description = "Activity column (default '${DEFAULT-VALUE}')")
  String activityCol = D.activityColumn();
  @Option(names = "--timestamp-col", paramLabel = "C", description = "Event time column, UTC "
      + "(default '${DEFAULT-VALUE}')") String timestampCol = D.timestampColumn();
  @Option(names = "--resource-col", paramLabel = "C", description = "Agent column (default '${DEFAULT-VALUE}')")
  String resourceCol = D.resourceColumn();
  @Option(names = "--customer-col", paramLabel = "C", description = "Customer column (default '${DEFAULT-VALUE}')")
  String customerCol = D.customerColumn();
  @Option(names = "--priority-col", paramLabel = "C", description = "Priority column, value of the first event "
      + "(default '${DEFAULT-VALUE}')") String priorityCol = D.priorityColumn();
  @Option(names = "--timestamp-format", paramLabel = "F", description = "Spark datetime pattern "
      + "(default '${DEFAULT-VALUE}')") String timestampFormat = D.timestampFormat();
  @Option(names = "--response-activity", paramLabel = "A", description = "First one = first response "
      + "(default '${DEFAULT-VALUE}')") String responseActivity = D.responseActivity();
  @Option(names = "--resolve-activity", paramLabel = "A", description = "First one = resolved "
      + "(default '${DEFAULT-VALUE}')") String resolveActivity = D.resolveActivity();
  @Option(names = "--final-activities", paramLabel = "A,B", description = "Activities that do not reopen a case when "
      + "they follow the resolve, comma-separated (default '${DEFAULT-VALUE}')")
  String finalActivities = String.join(",", D.finalActivities());

  @Override
  public Integer call() {
    TableFormat tableFormat;
    try {
      tableFormat = TableFormat.of(format);
    } catch (IllegalArgumentException e) {
      throw InvalidSettingException.of("--format", format, "must be delta, parquet or csv");
    }
    Mapping mapping = new Mapping(caseCol, activityCol, timestampCol, resourceCol, customerCol, priorityCol,
        timestampFormat, responseActivity, resolveActivity, finalActivities.isBlank() ? List.of()
            : Arrays.stream(finalActivities.split(",")).map(String::strip).toList());
    SparkSession spark = Cskpi.session(common.config(), "cskpi tickets-from-event-log");
    Location file = Location.of(spark, input);
    if (!file.exists(spark)) {
      throw new InputSchemaException("event log not found: " + file);
    }
    Dataset<Row> events = spark.read().option("header", "true").csv(file.toString());
    long eventCount = checkTimes(events, mapping);
    Dataset<Row> tickets = EventLogTickets.toTickets(events, mapping).persist(StorageLevel.MEMORY_AND_DISK());
    Location table = Location.of(spark, output).child(InputTables.TICKETS.name());
    tableFormat.write(tickets, table);
    Row s = tickets.agg(count(lit(1)), count(when(col("first_response_ts").isNull(), lit(1))),
        count(when(col("resolved_ts").isNull(), lit(1))),
        percentile(SupportMetrics.hours("created_ts", "first_response_ts"), lit(0.5)),
        percentile(SupportMetrics.hours("created_ts", "resolved_ts"), lit(0.5))).first();
    tickets.unpersist();
    System.out.printf(Locale.ROOT, "Events read: %,d (%s)%n", eventCount, file);
    System.out.printf(Locale.ROOT, "Tickets written: %,d as %s to %s%n", s.getLong(0), tableFormat, table);
    System.out.printf(Locale.ROOT, "  without first response ('%s'): %,d%n", responseActivity, s.getLong(1));
    System.out.printf(Locale.ROOT, "  without resolution ('%s'): %,d%n", resolveActivity, s.getLong(2));
    System.out.printf(Locale.ROOT, "  median first response: %s h%n", fixed(s.isNullAt(3) ? null : s.getDouble(3)));
    System.out.printf(Locale.ROOT, "  median time to resolve: %s days%n",
        fixed(s.isNullAt(4) ? null : s.getDouble(4) / 24));
    return 0;
  }

  /** Counts the events; a non-empty time that does not parse stops the run naming the first such value. */
  private static long checkTimes(Dataset<Row> events, Mapping mapping) {
    Column time = EventLogTickets.eventTime(events, mapping);   // also checks the mapped columns
    Column raw = col("`" + mapping.timestampColumn().replace("`", "``") + "`");
    Column bad = raw.isNotNull().and(time.isNull());
    Row r = events.agg(count(lit(1)), count(when(bad, lit(1))), min(when(bad, raw.cast("string"))),
        count(when(raw.isNull(), lit(1)))).first();
    if (r.getLong(1) > 0 || r.getLong(3) > 0) {
      throw new InputSchemaException(String.format(Locale.ROOT, "event log: %,d events whose '%s' does not match "
              + "--timestamp-format '%s' (e.g. '%s') and %,d without one", r.getLong(1), mapping.timestampColumn(),
          mapping.timestampFormat(), r.getString(2), r.getLong(3)));
    }
    return r.getLong(0);
  }

  private static String fixed(Double v) {
    return v == null ? "n/a" : String.format(Locale.ROOT, "%.2f", v);
  }
}
