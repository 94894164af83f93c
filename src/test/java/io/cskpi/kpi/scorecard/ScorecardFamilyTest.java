package io.cskpi.kpi.scorecard;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.cskpi.SparkTest;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.junit.jupiter.api.Test;

/** owner_scorecard joins the owner rows of revenue_monthly, support_monthly and nps_monthly (touchpoint 'all'). */
class ScorecardFamilyTest extends SparkTest {
  @Test
  void eachOwnersChurnSitsNextToTheServiceTheirCustomersGot() {
    Dataset<Row> revenue = frame("period_month DATE, dimension STRING, segment STRING, customers_start BIGINT, "
            + "customers_churned BIGINT, logo_churn_rate DOUBLE, nrr DOUBLE",
        row(d("2025-01-01"), "csm_owner", "ann", 10L, 1L, 0.1, 0.98),
        row(d("2025-01-01"), "csm_owner", "bob", 4L, 2L, 0.5, 0.7),
        row(d("2025-01-01"), "all", "all", 14L, 3L, 3 / 14.0, 0.9),
        row(d("2025-01-01"), "plan", "pro", 14L, 3L, 3 / 14.0, 0.9));
    Dataset<Row> support = frame("period_month DATE, dimension STRING, segment STRING, tickets_created BIGINT, "
            + "first_response_hours_median DOUBLE, fcr_rate DOUBLE",
        row(d("2025-01-01"), "csm_owner", "ann", 6L, 2.5, 0.8),
        row(d("2025-01-01"), "agent_id", "ann", 99L, 99.0, 0.0),   // an agent named like an owner: not hers
        row(d("2025-01-01"), "all", "all", 6L, 2.5, 0.8));
    Dataset<Row> nps = frame("period_month DATE, dimension STRING, segment STRING, touchpoint STRING, "
            + "responses BIGINT, nps DOUBLE",
        row(d("2025-01-01"), "csm_owner", "ann", "all", 5L, 40.0),
        row(d("2025-01-01"), "csm_owner", "ann", "support", 2L, -50.0),
        row(d("2025-01-01"), "csm_owner", "bob", "all", 1L, -100.0));
    Dataset<Row> expected = frame("period_month DATE, csm_owner STRING, customers_start BIGINT, "
            + "customers_churned BIGINT, logo_churn_rate DOUBLE, nrr DOUBLE, tickets_created BIGINT, "
            + "first_response_hours_median DOUBLE, fcr_rate DOUBLE, nps_responses BIGINT, nps DOUBLE",
        row(d("2025-01-01"), "ann", 10L, 1L, 0.1, 0.98, 6L, 2.5, 0.8, 5L, 40.0),
        row(d("2025-01-01"), "bob", 4L, 2L, 0.5, 0.7, 0L, null, null, 1L, -100.0));
    Dataset<Row> actual = ScorecardFamily.scorecard(revenue, support, nps, "csm_owner");
    assertSameRows(expected, actual);
    assertEquals(2, actual.count());
  }
}
