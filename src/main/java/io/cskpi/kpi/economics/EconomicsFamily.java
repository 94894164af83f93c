package io.cskpi.kpi.economics;

import static io.cskpi.kpi.SummaryFormat.num;
import static io.cskpi.schema.Schemas.MONEY;
import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.dayofmonth;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.types.DataTypes.BooleanType;
import static org.apache.spark.sql.types.DataTypes.DoubleType;
import static org.apache.spark.sql.types.DataTypes.LongType;
import static org.apache.spark.sql.types.DataTypes.StringType;

import io.cskpi.family.Declaration;
import io.cskpi.family.FamilySettings;
import io.cskpi.family.Inputs;
import io.cskpi.family.KpiFamily;
import io.cskpi.family.ResultTable;
import io.cskpi.family.Results;
import io.cskpi.family.RunContext;
import io.cskpi.family.SummarySection;
import io.cskpi.kpi.Segments;
import io.cskpi.kpi.revenue.RevenueFamily;
import io.cskpi.quality.RowRule;
import io.cskpi.schema.InputTables;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;

import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;

/** CAC, formula CLV, CLV:CAC, payback and retention cost. Reads revenue_monthly of the revenue family. */
public final class EconomicsFamily implements KpiFamily {
  public static final ResultTable UNIT_ECONOMICS_MONTHLY = ResultTable.named("unit_economics_monthly",
          "CAC, formula CLV, CLV:CAC, payback and retention cost per month and segment")
      .grain("month × dimension × segment")
      .monthlyBySegment()
      .nullable("acquisition_spend", MONEY, "marketing + sales costs of the month. Costs carry at most an "
          + "acquisition channel: spend counts in dimension 'all' and in its acquisition_channel segment; spend "
          + "without a channel counts in 'all' only; other dimensions have no spend (null).")
      .column("new_customers", LongType, "Customers in their first month with MRR > 0 "
          + "(revenue_monthly.customers_new).")
      .nullable("cac", MONEY, "Customer acquisition cost: acquisition_spend / new_customers; null when no new "
          + "customers.")
      .nullable("acquisition_spend_3m", MONEY, "acquisition_spend of this and the 2 months before; null where acquisition_spend is.")
      .column("new_customers_3m", LongType, "new_customers of this and the 2 months before.")
      .nullable("cac_trailing_3m", MONEY, "acquisition_spend_3m / new_customers_3m: the smoothed CAC; null without new "
          + "customers.")
      .nullable("arpa", MONEY, "revenue_monthly.arpa of the month; null without customers.")
      .column("gross_margin", DoubleType, "Gross margin from conf cskpi.economics.gross-margin.")
      .nullable("churn_rate_trailing", DoubleType, "Monthly logo churn over the N whole months before this one "
          + "(conf cskpi.economics.churn-window-months): sum of customers_churned / sum of customers_start; null "
          + "without customers in that window.")
      .nullable("clv_churn_rate", DoubleType, "max(churn_rate_trailing, floor) with the floor from conf "
          + "cskpi.economics.churn-rate-floor, so a segment without churn has a finite CLV; null when "
          + "churn_rate_trailing is.")
      .column("is_churn_floor_applied", BooleanType, "True when churn_rate_trailing was below the floor.")
      .nullable("clv_formula", MONEY, "arpa × gross_margin / clv_churn_rate; null without a churn history.")
      .nullable("clv_to_cac_ratio", DoubleType, "clv_formula / cac; null when either is null or cac is 0.")
      .nullable("cac_payback_months", DoubleType, "cac / (arpa × gross_margin): months of margin to earn back the "
          + "CAC.")
      .nullable("profit_per_customer", MONEY, "clv_formula - cac; null when either is null.")
      .nullable("clv_cac_health", StringType, "healthy when clv_to_cac_ratio >= 3, thin when 1 < ratio < 3, "
          + "losing_money when ratio <= 1; null without a ratio.")
      .nullable("cs_cost", MONEY, "customer_success + support costs of the month (same attribution as "
          + "acquisition_spend).")
      .column("average_active_customers", DoubleType, "(customers_start + customers_end) / 2 of the month.")
      .nullable("crc", MONEY, "Customer retention cost: cs_cost / average_active_customers; null without cs_cost or "
          + "customers.")
      .nullable("clv_to_crc_ratio", DoubleType, "clv_formula / crc; null when either is null or crc is 0.")
      .build();

  @Override
  public Declaration declaration() {
    List<String> categories = new ArrayList<>(UnitEconomics.ACQUISITION);
    categories.addAll(UnitEconomics.RETENTION);
    String costs = InputTables.COSTS.name();
    return Declaration.family("economics", "CAC, formula CLV, CLV:CAC, payback and retention cost")
        .reads(InputTables.COSTS)
        .readsResults(RevenueFamily.REVENUE_MONTHLY)
        .writes(UNIT_ECONOMICS_MONTHLY)
        .rules(new RowRule(costs, "negative_amount", "amount must be >= 0", col("amount").lt(0)),
            new RowRule(costs, "unknown_category", "category must be one of " + String.join(", ", categories),
                col("category").isNotNull().and(col("category").isin(categories.toArray()).unary_$bang())),
            new RowRule(costs, "not_month_start", "period_month must be the first day of a month",
                dayofmonth(col("period_month")).notEqual(1)))
        .settings(EconomicsFamily::settings)
        .summary(EconomicsFamily::summary)
        .build();
  }

  /** Settings from conf cskpi.economics. */
  public static UnitEconomics.Settings settings(FamilySettings s) {
    return new UnitEconomics.Settings(
        s.number("gross-margin", 1.0, "(0, 1]", "gross margin of formula CLV and payback"),
        s.wholeNumber("churn-window-months", 6, 1, "whole months before the current one whose churn feeds formula "
            + "CLV (ChartMogul uses 6)"),
        s.number("churn-rate-floor", 0.01, "(0, 1]", "lowest monthly churn rate in formula CLV, so that a segment "
            + "without churn has a finite CLV"));
  }

  @Override
  public Results compute(Inputs in, RunContext ctx) {
    Dataset<Row> costs = UnitEconomics.toCostsBySegment(in.table(InputTables.COSTS), ctx.segments());
    return Results.of(UNIT_ECONOMICS_MONTHLY, UnitEconomics.toUnitEconomics(
        in.result(RevenueFamily.REVENUE_MONTHLY), costs, ctx.settings(UnitEconomics.Settings.class)));
  }

  private static String summary(SummarySection.Written written, LocalDate asOf) {
    Dataset<Row> economics = written.read(UNIT_ECONOMICS_MONTHLY);
    LocalDate month = asOf.withDayOfMonth(1);
    List<Row> latest = economics == null ? List.of() : economics
        .filter(col("dimension").equalTo(Segments.ALL).and(col("period_month").equalTo(lit(month))))
        .collectAsList();
    if (latest.isEmpty()) {
      return "";
    }
    Row e = latest.get(0);
    return String.format("Unit economics %s: CAC %s (3-month %s)  formula CLV %s  CLV:CAC %s (%s)  "
            + "payback %s months  CRC %s%n", month.toString().substring(0, 7), e.getAs("cac"),
        e.getAs("cac_trailing_3m"), e.getAs("clv_formula"), num(e.getAs("clv_to_cac_ratio")),
        e.getAs("clv_cac_health"), num(e.getAs("cac_payback_months")), e.getAs("crc"));
  }
}
