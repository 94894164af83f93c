package io.cskpi.kpi.scorecard;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.types.DataTypes.DoubleType;
import static org.apache.spark.sql.types.DataTypes.LongType;
import static org.apache.spark.sql.types.DataTypes.StringType;

import io.cskpi.family.CommonColumns;
import io.cskpi.family.Declaration;
import io.cskpi.family.FamilySettings;
import io.cskpi.family.Inputs;
import io.cskpi.family.KpiFamily;
import io.cskpi.family.ResultTable;
import io.cskpi.family.Results;
import io.cskpi.family.RunContext;
import io.cskpi.kpi.Segments;
import io.cskpi.kpi.revenue.RevenueFamily;
import io.cskpi.kpi.support.SupportFamily;
import io.cskpi.kpi.voice.VoiceFamily;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;

/**
 * Per CS owner and month, the churn and revenue retention of the customers they hold next to the service those
 * customers got: read from the revenue, support and voice results (their dimension = the owner column), never
 * from inputs.
 */
public final class ScorecardFamily implements KpiFamily {
  /** The customers column that names a customer's owner. */
  public record Settings(String ownerDimension) {}

  public static final ResultTable OWNER_SCORECARD = ResultTable.named("owner_scorecard",
          "Churn and revenue retention of each CS owner's customers next to their support and NPS")
      .grain("CS owner × month of revenue_monthly")
      .column(CommonColumns.PERIOD_MONTH)
      .column("csm_owner", StringType, "The owner: a segment of the dimension conf cskpi.scorecard.owner-dimension "
          + "(default csm_owner; 'unknown' for customers without one).")
      .column("customers_start", LongType, "revenue_monthly.customers_start of the owner's customers.")
      .column("customers_churned", LongType, "revenue_monthly.customers_churned.")
      .nullable("logo_churn_rate", DoubleType, "revenue_monthly.logo_churn_rate: customers_churned / "
          + "customers_start; null without customers at the start.")
      .nullable("nrr", DoubleType, "revenue_monthly.nrr; null without MRR at the start.")
      .column("tickets_created", LongType, "support_monthly.tickets_created of the owner's customers (0 without "
          + "a row).")
      .nullable("first_response_hours_median", DoubleType, "support_monthly.first_response_hours_median; null "
          + "without a responded ticket.")
      .nullable("fcr_rate", DoubleType, "support_monthly.fcr_rate; null without resolved tickets with contacts.")
      .column("nps_responses", LongType, "nps_monthly.responses of touchpoint 'all' (0 without a row).")
      .nullable("nps", DoubleType, "nps_monthly.nps of touchpoint 'all'; null without responses.")
      .build();

  @Override
  public Declaration declaration() {
    return Declaration.family("scorecard", "Owner scorecard: churn per CS owner next to the service it got")
        .readsResults(RevenueFamily.REVENUE_MONTHLY, SupportFamily.SUPPORT_MONTHLY, VoiceFamily.NPS_MONTHLY)
        .writes(OWNER_SCORECARD)
        .settings(ScorecardFamily::settings)
        .build();
  }

  static Settings settings(FamilySettings s) {
    return new Settings(s.segmentDimension("owner-dimension", "csm_owner", "the customers column naming a "
        + "customer's CS owner (one of cskpi.segments)"));
  }

  @Override
  public Results compute(Inputs in, RunContext ctx) {
    return Results.of(OWNER_SCORECARD, scorecard(in.result(RevenueFamily.REVENUE_MONTHLY),
        in.result(SupportFamily.SUPPORT_MONTHLY), in.result(VoiceFamily.NPS_MONTHLY),
        ctx.settings(Settings.class).ownerDimension()));
  }

  static Dataset<Row> scorecard(Dataset<Row> revenue, Dataset<Row> support, Dataset<Row> nps, String owner) {
    String[] key = {"period_month", "csm_owner"};
    Dataset<Row> byOwner = revenue.filter(col("dimension").equalTo(owner))
        .select(col("period_month"), col("segment").as("csm_owner"), col("customers_start"),
            col("customers_churned"), col("logo_churn_rate"), col("nrr"));
    Dataset<Row> service = support.filter(col("dimension").equalTo(owner))
        .select(col("period_month"), col("segment").as("csm_owner"), col("tickets_created"),
            col("first_response_hours_median"), col("fcr_rate"));
    Dataset<Row> voice = nps.filter(col("dimension").equalTo(owner).and(col("touchpoint").equalTo(Segments.ALL)))
        .select(col("period_month"), col("segment").as("csm_owner"), col("responses").as("nps_responses"),
            col("nps"));
    return OWNER_SCORECARD.selectFrom(byOwner.join(service, key, "left").join(voice, key, "left")
        .na().fill(0L, new String[] {"tickets_created", "nps_responses"}), java.util.List.of());
  }
}
