package io.cskpi.kpi.economics;

import static org.apache.spark.sql.functions.col;

import io.cskpi.config.CskpiConfig;
import io.cskpi.kpi.revenue.RevenueFamily;
import io.cskpi.pipeline.KpiFamily;
import io.cskpi.pipeline.OutputTable;
import io.cskpi.pipeline.RunContext;
import io.cskpi.quality.RowRule;
import io.cskpi.schema.InputTables;
import io.cskpi.schema.TableSpec;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** CAC, formula CLV, CLV:CAC, payback and retention cost. Needs the revenue family's revenue_monthly. */
public final class EconomicsFamily implements KpiFamily {
  public static final String UNIT_ECONOMICS_MONTHLY = "unit_economics_monthly";

  @Override
  public String name() {
    return "economics";
  }

  @Override
  public List<TableSpec> inputs() {
    return List.of(InputTables.COSTS);
  }

  @Override
  public List<String> dependsOn() {
    return List.of("revenue");
  }

  @Override
  public List<RowRule> rules() {
    List<String> categories = new ArrayList<>(UnitEconomics.ACQUISITION);
    categories.addAll(UnitEconomics.RETENTION);
    return List.of(
        new RowRule("costs", "negative_amount", "amount must be >= 0", col("amount").lt(0)),
        new RowRule("costs", "unknown_category", "category must be one of " + String.join(", ", categories),
            col("category").isNotNull().and(col("category").isin(categories.toArray()).unary_$bang())),
        new RowRule("costs", "not_month_start", "period_month must be the first day of a month",
            org.apache.spark.sql.functions.dayofmonth(col("period_month")).notEqual(1)));
  }

  public static UnitEconomics.Settings settings(CskpiConfig c) {
    return new UnitEconomics.Settings(c.grossMargin(), c.churnWindowMonths(), c.churnRateFloor());
  }

  @Override
  public List<OutputTable> compute(Map<String, Dataset<Row>> inputs, RunContext ctx) {
    Dataset<Row> costs = UnitEconomics.toCostsBySegment(inputs.get("costs"), ctx.config().segmentColumns());
    Dataset<Row> economics = UnitEconomics.toUnitEconomics(inputs.get(RevenueFamily.REVENUE_MONTHLY), costs,
        settings(ctx.config()));
    return List.of(new OutputTable(UNIT_ECONOMICS_MONTHLY, economics, List.of(),
        "CAC, formula CLV, CLV:CAC, payback and retention cost per month and segment"));
  }
}
