package io.cskpi.kpi.onboarding;

import static org.apache.spark.sql.functions.coalesce;
import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.concat_ws;
import static org.apache.spark.sql.functions.date_add;
import static org.apache.spark.sql.functions.datediff;
import static org.apache.spark.sql.functions.greatest;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.max;
import static org.apache.spark.sql.functions.min;
import static org.apache.spark.sql.functions.when;

import io.cskpi.family.FamilySettings.Weighted;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;

import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;

/** Each customer's onboarding milestones: the rows of onboarding and of onboarding_stuck. */
public final class OnboardingProgress {
  private OnboardingProgress() {}

  /**
   * One row per customer signed up by the as-of date: its milestones reached in the window, onboarding_score,
   * activated, days_to_activation, first_missing_milestone, and last_event_date.
   *
   * @param events usage events up to the as-of date, with event_date
   */
  public static Dataset<Row> perCustomer(Dataset<Row> customers, Dataset<Row> events, OnboardingSettings s,
      LocalDate asOf) {
    List<String> names = s.milestoneNames();
    List<Column> firsts = new ArrayList<>();
    for (int i = 0; i < names.size(); i++) {
      firsts.add(min(when(col("event_name").equalTo(names.get(i)), col("event_date"))).as("_first_" + i));
    }
    firsts.add(max("event_date").as("last_event_date"));
    Dataset<Row> reached = events.groupBy("customer_id")
        .agg(firsts.get(0), firsts.subList(1, firsts.size()).toArray(Column[]::new));
    Dataset<Row> rows = customers.filter(col("signup_date").leq(lit(asOf)))
        .join(reached, new String[] {"customer_id"}, "left")
        .withColumn("owner", col("csm_owner"))
        .withColumn("window_end_date", date_add(col("signup_date"), s.windowDays() - 1))
        .withColumn("window_complete", col("window_end_date").leq(lit(asOf)));
    Column score = lit(0.0);
    Column reachedCount = lit(0L);
    List<Column> reachedNames = new ArrayList<>();
    Column firstMissing = lit(null).cast("string");
    for (int i = names.size() - 1; i >= 0; i--) {
      Weighted m = s.milestones().get(i);
      Column inWindow = coalesce(col("_first_" + i).leq(col("window_end_date")), lit(false));
      score = score.plus(when(inWindow, m.weight()).otherwise(0.0));
      reachedCount = reachedCount.plus(when(inWindow, 1L).otherwise(0L));
      reachedNames.add(0, when(inWindow, lit(m.name())));
      firstMissing = when(inWindow.unary_$bang(), lit(m.name())).otherwise(firstMissing);
    }
    Column activated = lit(true);
    Column activationDay = lit(0);
    for (String aha : s.activation()) {
      int i = names.indexOf(aha);
      activated = activated.and(coalesce(col("_first_" + i).leq(col("window_end_date")), lit(false)));
      activationDay = greatest(activationDay, datediff(col("_first_" + i), col("signup_date")));
    }
    rows = rows.withColumn("milestones_reached", reachedCount)
        .withColumn("reached_milestones", concat_ws(", ", reachedNames.toArray(Column[]::new)))
        .withColumn("onboarding_score", score.multiply(100.0 / s.totalWeight()))
        .withColumn("activated", activated)
        .withColumn("days_to_activation", when(activated, activationDay))
        .withColumn("first_missing_milestone", firstMissing)
        .withColumn("_stuck_milestone_reached", col("_first_" + names.indexOf(s.stuckMilestone())).isNotNull());
    for (int i = 0; i < names.size(); i++) {
      rows = rows.drop("_first_" + i);
    }
    return rows;
  }

  /**
   * onboarding_stuck: customers signed up stuck-after-days to stuck-max-days before the as-of date that have not
   * reached the stuck milestone by then (in the window or after it).
   */
  public static Dataset<Row> stuck(Dataset<Row> perCustomer, OnboardingSettings s, LocalDate asOf) {
    Column days = datediff(lit(asOf), col("signup_date"));
    return perCustomer.withColumn("days_since_signup", days)
        .filter(days.between(s.stuckAfterDays(), s.stuckMaxDays()).and(col("_stuck_milestone_reached").unary_$bang()))
        .withColumn("missing_milestone", lit(s.stuckMilestone()));
  }
}
