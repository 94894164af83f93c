package io.cskpi.io;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.cskpi.SparkTest;
import io.cskpi.config.CskpiConfig;
import io.cskpi.config.InvalidSettingException;
import io.cskpi.quality.InputChecks;
import io.cskpi.quality.Quarantine;
import io.cskpi.schema.InputSchemaException;
import io.cskpi.schema.InputTables;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * A Stripe-style subscriptions export (cents, epoch seconds, a day/month/year text date, statuses) mapped onto the
 * data model in conf, from Parquet: expressions, the where filter, values that do not convert go to the quarantine
 * with the source row, and every mistake in a mapping is an error naming table, column, expression and the
 * source's columns before any compute.
 */
class InputMappingTest extends SparkTest {
  @TempDir static Path dir;
  private static Location stripe;
  private static final Map<String, String> COLUMNS = Map.of("subscription_id", "id", "customer_id", "customer",
      "mrr", "plan_amount * quantity / 100", "start_date", "to_date(started, 'dd/MM/yyyy')",
      "end_date", "to_date(from_unixtime(ended_at))");
  private static final InputMapping MAPPING = new InputMapping(COLUMNS, "status <> 'incomplete'");

  @BeforeAll
  static void write() {
    frame("id STRING, customer STRING, plan_amount INT, quantity INT, started STRING, ended_at BIGINT, status STRING",
        row("sub_1", "cus_1", 1999, 2, "15/01/2024", null, "active"),
        row("sub_2", "cus_2", 1000, 1, "01/02/2024", 1709251200L, "canceled"),   // ended 2024-03-01
        row("sub_3", "cus_3", 500, 1, "01/02/2024", null, "incomplete"),
        row("sub_4", "cus_4", 700, 1, "31/02/2024", null, "active"))             // no such day
        .write().parquet(dir.resolve("subscriptions").toString());
    stripe = Location.of(spark, dir.resolve("subscriptions").toString());
  }

  private static Dataset<Row> read(InputMapping mapping) {
    return InputReader.read(spark, InputTables.SUBSCRIPTIONS, stripe, TableFormat.PARQUET, Map.of(), mapping);
  }

  @Test
  void mappedRowsAreCanonicalAndUnconvertibleOnesQuarantinedWithTheSourceRow() {
    Dataset<Row> checked = InputChecks.check(InputTables.SUBSCRIPTIONS, read(MAPPING),
        InputChecks.specRules(InputTables.SUBSCRIPTIONS));
    Map<String, Row> clean = Quarantine.clean(checked).collectAsList().stream()
        .collect(Collectors.toMap(r -> r.getAs("subscription_id"), r -> r));
    assertEquals(java.util.Set.of("sub_1", "sub_2"), clean.keySet());   // sub_3 filtered, sub_4 quarantined
    assertEquals(m("39.98"), clean.get("sub_1").getAs("mrr"));
    assertEquals(d("2024-01-15"), clean.get("sub_1").getAs("start_date"));
    org.junit.jupiter.api.Assertions.assertNull(clean.get("sub_1").getAs("end_date"));
    assertEquals(d("2024-03-01"), clean.get("sub_2").getAs("end_date"));
    assertEquals("cus_2", clean.get("sub_2").getAs("customer_id"));
    List<Row> rejected = Quarantine.rejected(InputTables.SUBSCRIPTIONS, checked, List.of()).collectAsList();
    assertEquals(1, rejected.size());
    Row bad = rejected.get(0);
    assertTrue(bad.<String>getAs("rule_description").contains("start_date: to_date(started, 'dd/MM/yyyy') gives no DATE"),
        bad.toString());
    assertTrue(bad.<String>getAs("raw_row").contains("\"started\":\"31/02/2024\""), bad.toString());
    assertTrue(bad.getList(bad.fieldIndex("rules")).contains(Quarantine.INVALID_VALUE), bad.toString());
  }

  @Test
  void aMistakeInAMappingIsAnErrorNamingTableColumnExpressionAndSourceColumns() {
    InputSchemaException missing = assertThrows(InputSchemaException.class, () -> read(new InputMapping(
        Map.of("subscription_id", "id", "customer_id", "customer_ref"), null)));
    assertTrue(missing.getMessage().contains("table 'subscriptions': cskpi.input.tables.subscriptions.columns."
        + "customer_id = \"customer_ref\" cannot be read"), missing.getMessage());
    assertTrue(missing.getMessage().contains("the source columns are [id, customer, plan_amount, quantity, started, "
        + "ended_at, status]"), missing.getMessage());
    InputSchemaException syntax = assertThrows(InputSchemaException.class, () -> read(new InputMapping(
        Map.of("mrr", "plan_amount * / 100"), null)));
    assertTrue(syntax.getMessage().contains("columns.mrr = \"plan_amount * / 100\" cannot be read"), syntax.getMessage());
    InputSchemaException type = assertThrows(InputSchemaException.class, () -> read(new InputMapping(
        Map.of("start_date", "quantity > 1"), null)));
    assertTrue(type.getMessage().contains("columns.start_date = \"quantity > 1\" gives BOOLEAN, which cannot become "
        + "DATE"), type.getMessage());
    InputSchemaException where = assertThrows(InputSchemaException.class, () -> read(new InputMapping(
        COLUMNS, "state = 'active'")));
    assertTrue(where.getMessage().contains("subscriptions.where = \"state = 'active'\" cannot be read"),
        where.getMessage());
    for (String perRow : List.of("sum(plan_amount)", "explode(array(plan_amount, quantity))",
        "sum(plan_amount) OVER (PARTITION BY customer)")) {
      InputSchemaException rows = assertThrows(InputSchemaException.class, () -> read(new InputMapping(
          Map.of("mrr", perRow), null)));
      assertTrue(rows.getMessage().contains("columns.mrr = \"" + perRow + "\" must give one value per source row"),
          rows.getMessage());
    }
    InputSchemaException aggregateWhere = assertThrows(InputSchemaException.class, () -> read(new InputMapping(
        COLUMNS, "sum(quantity) > 1")));
    assertTrue(aggregateWhere.getMessage().contains("subscriptions.where = \"sum(quantity) > 1\" cannot be read"),
        aggregateWhere.getMessage());
    InputSchemaException unmapped = assertThrows(InputSchemaException.class, () -> read(new InputMapping(
        Map.of("subscription_id", "id", "customer_id", "customer", "mrr", "plan_amount * quantity / 100",
            "start_date", "to_date(started, 'dd/MM/yyyy')"), null)));
    assertTrue(unmapped.getMessage().contains("missing required column 'end_date' (DATE)"), unmapped.getMessage());
    assertTrue(unmapped.getMessage().endsWith("mapped in conf: cskpi.input.tables.subscriptions.columns { <column> = "
        + "\"<Spark SQL expression over the found columns>\" }"), unmapped.getMessage());
    InputSchemaException unknown = assertThrows(InputSchemaException.class, () -> read(new InputMapping(
        Map.of("monthly_amount", "plan_amount"), null)));
    assertTrue(unknown.getMessage().contains("columns.monthly_amount is not a column of the data model"),
        unknown.getMessage());
  }

  @Test
  void theMappingComesFromConf() {
    CskpiConfig config = CskpiConfig.load(null, List.of(
        "input.tables.subscriptions.columns.mrr=\"plan_amount * quantity / 100\"",
        "input.tables.subscriptions.where=\"status <> 'incomplete'\"",
        "input.tables.subscriptions.format=json", "input.tables.subscriptions.options.multiLine=true"));
    assertEquals(Map.of("mrr", "plan_amount * quantity / 100"), config.inputMapping("subscriptions").columns());
    assertEquals("status <> 'incomplete'", config.inputMapping("subscriptions").where());
    assertEquals(Map.of("multiLine", "true"), config.inputOptions("subscriptions"));
    assertEquals(TableFormat.JSON, config.inputFormat("subscriptions"));
    InvalidSettingException typo = assertThrows(InvalidSettingException.class, () -> CskpiConfig.load(null,
        List.of("input.tables.subscriptions.colums.mrr=\"x\"")));
    assertTrue(typo.getMessage().startsWith("unknown setting cskpi.input.tables.subscriptions.colums.mrr"),
        typo.getMessage());
    InvalidSettingException blankWhere = assertThrows(InvalidSettingException.class, () -> CskpiConfig.load(null,
        List.of("input.tables.subscriptions.where=\" \"")));
    assertTrue(blankWhere.getMessage().contains("cskpi.input.tables.subscriptions.where = \"\": must be a Spark SQL "
        + "condition"), blankWhere.getMessage());
    InvalidSettingException notText = assertThrows(InvalidSettingException.class, () -> CskpiConfig.load(null,
        List.of("input.tables.subscriptions.columns.mrr=[plan_amount]")));
    assertTrue(notText.getMessage().contains("cskpi.input.tables.subscriptions.columns.mrr = [\"plan_amount\"]: "
        + "must be a text"), notText.getMessage());
    assertEquals(Map.of("delimiter", ";"), CskpiConfig.load(null, List.of("input.tables.subscriptions.format=csv",
        "input.tables.subscriptions.options.delimiter=\";\"")).inputOptions("subscriptions"));
    InvalidSettingException csv = assertThrows(InvalidSettingException.class, () -> CskpiConfig.load(null,
        List.of("input.tables.subscriptions.format=csv", "input.tables.subscriptions.options.multiLine=true")));
    assertTrue(csv.getMessage().startsWith("cskpi.input.tables.subscriptions.options = {multiLine=true}: option "
        + "'multiLine': CSV is read by cs-kpi's own strict reader"), csv.getMessage());
  }
}
