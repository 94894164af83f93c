package io.cskpi.kpi.support;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.count;
import static org.apache.spark.sql.functions.greatest;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.max_by;
import static org.apache.spark.sql.functions.min;
import static org.apache.spark.sql.functions.min_by;
import static org.apache.spark.sql.functions.monotonically_increasing_id;
import static org.apache.spark.sql.functions.not;
import static org.apache.spark.sql.functions.struct;
import static org.apache.spark.sql.functions.to_timestamp;
import static org.apache.spark.sql.functions.when;

import io.cskpi.schema.InputSchemaException;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.expressions.Window;
import org.apache.spark.sql.types.DataType;
import org.apache.spark.sql.types.DataTypes;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Objects;

/**
 * A help-desk event log (one row per event of a case: case, activity, time, who, ...) as cs-kpi's {@code tickets}
 * input table, one row per case. Exact duplicate rows (every column equal) are dropped first. Events are ordered
 * by time, and events with equal times by their order in the input (file order for a CSV read in one pass).
 *
 * <p>The output columns are those of {@link io.cskpi.schema.InputTables#TICKETS}, with its types:
 * <ul>
 *   <li>{@code ticket_id} STRING: the case column;
 *   <li>{@code customer_id} STRING: the customer column of the case's first event;
 *   <li>{@code agent_id} STRING: the resource of the first resolve event; of the last response event when the case
 *       has no resolve event; null when it has neither;
 *   <li>{@code channel} STRING: always null (an event log has no channel);
 *   <li>{@code priority} STRING: the priority column of the first event, the raw value (not mapped to low ..
 *       urgent);
 *   <li>{@code created_ts} TIMESTAMP: the time of the first event;
 *   <li>{@code first_response_ts} TIMESTAMP: the time of the first response event; null without one;
 *   <li>{@code resolved_ts} TIMESTAMP: the time of the first resolve event; null without one (open);
 *   <li>{@code contacts} INT: response events up to and including the first resolve event (all of them when
 *       unresolved), at least 1;
 *   <li>{@code reopened} BOOLEAN: true when an event whose activity is neither the resolve activity nor a final
 *       activity comes after the first resolve event; false when resolved without one; null when unresolved.
 * </ul>
 * Times are read as UTC. Events without a time (null, or a text that does not match the format) are not used:
 * check for them first ({@link #eventTime}); the CLI refuses a log that has any.
 */
public final class EventLogTickets {
  private EventLogTickets() {}

  private static final String SEQ = "_event_seq";

  /**
   * Which columns of the event log hold what, and which activities mean what. Activities match exactly
   * (case-sensitive); column names case-insensitively, as Spark resolves them.
   *
   * @param caseColumn the case (ticket) identifier
   * @param activityColumn the activity (event name)
   * @param timestampColumn when the event happened, UTC
   * @param resourceColumn who performed it (agent)
   * @param customerColumn the customer
   * @param priorityColumn the priority (or seriousness) column
   * @param timestampFormat Spark datetime pattern of a text timestamp column
   * @param responseActivity the activity that is an agent's response ("taken in charge")
   * @param resolveActivity the activity that resolves the case
   * @param finalActivities activities after a resolve that do not reopen the case (closing, bug-tracker statuses)
   */
  public record Mapping(String caseColumn, String activityColumn, String timestampColumn, String resourceColumn,
      String customerColumn, String priorityColumn, String timestampFormat, String responseActivity,
      String resolveActivity, List<String> finalActivities) {

    /**
     * The help-desk log of an Italian software company (Polato 2017, doi:10.4121/uuid:0c60edf1-6f83-4e75-9367-
     * 4c63b3e9d5bb), file {@code finale.csv}.
     */
    public static final Mapping HELPDESK_DEFAULTS = new Mapping("Case ID", "Activity", "Complete Timestamp",
        "Resource", "customer", "seriousness_2", "yyyy/MM/dd HH:mm:ss.SSS", "Take in charge ticket",
        "Resolve ticket", List.of("Closed", "VERIFIED", "RESOLVED", "INVALID", "DUPLICATE"));

    public Mapping {
      Objects.requireNonNull(caseColumn, "caseColumn");
      Objects.requireNonNull(activityColumn, "activityColumn");
      Objects.requireNonNull(timestampColumn, "timestampColumn");
      Objects.requireNonNull(resourceColumn, "resourceColumn");
      Objects.requireNonNull(customerColumn, "customerColumn");
      Objects.requireNonNull(priorityColumn, "priorityColumn");
      Objects.requireNonNull(timestampFormat, "timestampFormat");
      Objects.requireNonNull(responseActivity, "responseActivity");
      Objects.requireNonNull(resolveActivity, "resolveActivity");
      finalActivities = List.copyOf(finalActivities);
    }
  }

  /** The tickets table of {@code events}: one row per case, columns as described on the class. */
  public static Dataset<Row> toTickets(Dataset<Row> events, Mapping m) {
    Column time = eventTime(events, m);   // checks every mapped column first
    Column[] all = Arrays.stream(events.columns()).map(EventLogTickets::quoted).toArray(Column[]::new);
    // The input order is taken before any shuffle; an exact duplicate keeps its first copy's place.
    Dataset<Row> unique = events.withColumn(SEQ, monotonically_increasing_id()).groupBy(all).agg(min(SEQ).as(SEQ));
    Dataset<Row> e = unique.select(quoted(m.caseColumn()).cast("string").as("ticket_id"),
            quoted(m.activityColumn()).cast("string").as("_activity"), time.as("_ts"),
            quoted(m.resourceColumn()).cast("string").as("_resource"),
            quoted(m.customerColumn()).cast("string").as("_customer"),
            quoted(m.priorityColumn()).cast("string").as("_priority"), col(SEQ))
        .filter(col("_ts").isNotNull());
    Column order = struct(col("_ts"), col(SEQ));
    Column isResponse = col("_activity").equalTo(lit(m.responseActivity()));
    Column isResolve = col("_activity").equalTo(lit(m.resolveActivity()));
    List<String> notReopening = new ArrayList<>(m.finalActivities());
    notReopening.add(m.resolveActivity());
    Column firstResolve = col("_first_resolve");
    Column upToResolve = firstResolve.isNull().or(order.leq(firstResolve));
    Column reopening = order.gt(firstResolve).and(not(col("_activity").isin(notReopening.toArray())));
    Dataset<Row> perCase = e
        .withColumn("_first_resolve", min(when(isResolve, order)).over(Window.partitionBy("ticket_id")))
        .groupBy("ticket_id")
        .agg(min_by(col("_customer"), order).as("customer_id"),
            min_by(col("_priority"), order).as("priority"),
            min(col("_ts")).as("created_ts"),
            min(when(isResponse, col("_ts"))).as("first_response_ts"),
            min(when(isResolve, col("_ts"))).as("resolved_ts"),
            min_by(col("_resource"), when(isResolve, order)).as("_resolver"),
            max_by(col("_resource"), when(isResponse, order)).as("_last_responder"),
            count(when(isResponse.and(upToResolve), lit(1))).as("_responses"),
            count(when(reopening, lit(1))).as("_reopening_events"));
    Column resolved = col("resolved_ts").isNotNull();
    return perCase.select(col("ticket_id"), col("customer_id"),
        when(resolved, col("_resolver")).otherwise(col("_last_responder")).as("agent_id"),
        lit(null).cast(DataTypes.StringType).as("channel"),
        col("priority"), col("created_ts"), col("first_response_ts"), col("resolved_ts"),
        greatest(col("_responses"), lit(1L)).cast(DataTypes.IntegerType).as("contacts"),
        when(resolved, col("_reopening_events").gt(0)).as("reopened"));
  }

  /**
   * The event's time as a UTC timestamp: a text column parsed with the mapping's format (null when it does not
   * match), a timestamp column as it is. Fails, naming the column and the columns there are, when a mapped column
   * is missing.
   */
  public static Column eventTime(Dataset<Row> events, Mapping m) {
    requireColumns(events, m);
    DataType type = events.schema().apply(actualName(events, m.timestampColumn())).dataType();
    Column ts = quoted(m.timestampColumn());
    if (type.equals(DataTypes.TimestampType)) {
      return ts;
    }
    if (type.equals(DataTypes.TimestampNTZType) || type.equals(DataTypes.DateType)) {
      return ts.cast(DataTypes.TimestampType);   // the session's time zone: cs-kpi sessions run in UTC
    }
    return to_timestamp(ts.cast(DataTypes.StringType), m.timestampFormat());
  }

  /** Fails naming the first mapped column {@code events} lacks, what it is for, and the columns there are. */
  public static void requireColumns(Dataset<Row> events, Mapping m) {
    String[][] mapped = {{m.caseColumn(), "case"}, {m.activityColumn(), "activity"},
        {m.timestampColumn(), "timestamp"}, {m.resourceColumn(), "resource"}, {m.customerColumn(), "customer"},
        {m.priorityColumn(), "priority"}};
    for (String[] c : mapped) {
      if (actualName(events, c[0]) == null) {
        throw new InputSchemaException("event log: no " + c[1] + " column '" + c[0] + "'; its columns are "
            + Arrays.toString(events.columns()));
      }
    }
  }

  /** The column of {@code events} named {@code name} ignoring case; null if none. */
  private static String actualName(Dataset<Row> events, String name) {
    return Arrays.stream(events.columns()).filter(c -> c.toLowerCase(Locale.ROOT).equals(
        name.toLowerCase(Locale.ROOT))).findFirst().orElse(null);
  }

  /** A column by its exact name, even with spaces, dots or backticks in it. */
  private static Column quoted(String name) {
    return col("`" + name.replace("`", "``") + "`");
  }
}
