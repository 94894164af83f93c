package io.cskpi.schema;

import static io.cskpi.schema.ColumnSpec.optional;
import static io.cskpi.schema.ColumnSpec.required;
import static io.cskpi.schema.Schemas.MONEY;
import static org.apache.spark.sql.types.DataTypes.BooleanType;
import static org.apache.spark.sql.types.DataTypes.DateType;
import static org.apache.spark.sql.types.DataTypes.IntegerType;
import static org.apache.spark.sql.types.DataTypes.StringType;
import static org.apache.spark.sql.types.DataTypes.TimestampType;

import java.util.List;

/** The canonical input data model. The README's data-model section is written from these specs. */
public final class InputTables {
  private InputTables() {}

  public static final TableSpec CUSTOMERS = new TableSpec("customers", "customer_id",
      "One row per customer; its columns are the segment dimensions.", List.of(
          required("customer_id", StringType, "unique customer key"),
          required("signup_date", DateType, "date the account was created"),
          optional("acquisition_channel", StringType, "channel that brought the customer"),
          optional("plan", StringType, "current plan"),
          optional("region", StringType, "sales region"),
          optional("industry", StringType, "industry"),
          optional("company_size", StringType, "employee band"),
          optional("csm_owner", StringType, "customer success manager; null = none"),
          optional("trial_start_date", DateType, "start of the free trial; null = no trial"),
          optional("trial_end_date", DateType, "end of the free trial")));

  public static final TableSpec SUBSCRIPTIONS = new TableSpec("subscriptions", "subscription_id",
      "Recurring revenue: one row per subscription period at one price.", List.of(
          required("subscription_id", StringType, "unique subscription key"),
          required("customer_id", StringType, "customer holding it"),
          optional("plan", StringType, "plan of this subscription"),
          required("start_date", DateType, "first day active"),
          ColumnSpec.requiredNullable("end_date", DateType, "first day no longer active (exclusive); null = still active"),
          required("mrr", MONEY, "monthly recurring revenue, >= 0"),
          optional("cancel_reason", StringType,
              "why it ended: competitor, downgrade_to_free, business_closed, missing_features, "
                  + "support_quality, price, ...; null = not cancelled or unknown")));

  public static final TableSpec TRANSACTIONS = new TableSpec("transactions", "transaction_id",
      "Money received or refunded.", List.of(
          required("transaction_id", StringType, "unique transaction key"),
          required("customer_id", StringType, "paying customer"),
          required("transaction_ts", TimestampType, "when it was booked (UTC)"),
          required("amount", MONEY, "amount, >= 0; a refund is a positive amount of kind refund"),
          required("kind", StringType, "recurring | one_off | refund")));

  public static final TableSpec COSTS = new TableSpec("costs", null,
      "Monthly spend by category.", List.of(
          required("period_month", DateType, "first day of the month"),
          required("category", StringType, "marketing | sales | customer_success | support"),
          optional("acquisition_channel", StringType, "channel the spend is for; null = not attributable"),
          required("amount", MONEY, "spend, >= 0")));

  public static final TableSpec USAGE_EVENTS = new TableSpec("usage_events", null,
      "Product usage, one row per event.", List.of(
          required("customer_id", StringType, "customer"),
          required("user_id", StringType, "user of the customer"),
          required("event_ts", TimestampType, "when (UTC)"),
          required("event_name", StringType, "what was done, e.g. login, report_viewed"),
          optional("session_id", StringType, "session; null = unknown")));

  public static final TableSpec TICKETS = new TableSpec("tickets", "ticket_id",
      "Support tickets.", List.of(
          required("ticket_id", StringType, "unique ticket key"),
          required("customer_id", StringType, "customer"),
          optional("agent_id", StringType, "agent who handled it"),
          optional("channel", StringType, "email, chat, phone, web, ..."),
          optional("priority", StringType, "low, normal, high, urgent"),
          required("created_ts", TimestampType, "opened (UTC)"),
          optional("first_response_ts", TimestampType, "first agent reply; null = none yet"),
          optional("resolved_ts", TimestampType, "resolved; null = open"),
          optional("contacts", IntegerType, "interactions until resolved"),
          optional("reopened", BooleanType, "reopened after resolution")));

  public static final TableSpec SURVEYS = new TableSpec("surveys", "response_id",
      "Survey answers.", List.of(
          required("response_id", StringType, "unique response key"),
          required("customer_id", StringType, "customer"),
          required("survey_type", StringType, "NPS (0-10) | CSAT (1-5) | CES (1-7)"),
          required("score", IntegerType, "the answer"),
          optional("comment", StringType, "free text, any language"),
          required("responded_ts", TimestampType, "when (UTC)"),
          optional("touchpoint", StringType, "onboarding, support, checkout, ..."),
          optional("language", StringType, "ISO 639-1 code of the comment (en, nl, de, ...); null = detect it")));

  public static final List<TableSpec> ALL =
      List.of(CUSTOMERS, SUBSCRIPTIONS, TRANSACTIONS, COSTS, USAGE_EVENTS, TICKETS, SURVEYS);

  public static TableSpec byName(String name) {
    return ALL.stream().filter(t -> t.name().equals(name)).findFirst()
        .orElseThrow(() -> new IllegalArgumentException("unknown input table: " + name));
  }
}
