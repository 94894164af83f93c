package io.cskpi.kpi.revenue;

import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.junit.jupiter.api.Test;

class CohortRetentionTest extends RevenueFixture {
  @Test
  void followsEachCohortToTheAsOfMonth() {
    String cols = "cohort_month DATE, months_since INT, cohort_customers BIGINT, active_customers BIGINT, "
        + "logo_retention_rate DOUBLE, cohort_mrr DECIMAL(18,2), mrr DECIMAL(18,2), revenue_retention_rate DOUBLE";
    Dataset<Row> expected = frame(cols,
        // Jan cohort A, B, C (350): Feb A+B 180; Mar A 150; Apr A 150 + C back 60 = 210.
        row(d("2024-01-01"), 0, 3L, 3L, 1.0, m("350"), m("350"), 1.0),
        row(d("2024-01-01"), 1, 3L, 2L, 2.0 / 3, m("350"), m("180"), 180.0 / 350),
        row(d("2024-01-01"), 2, 3L, 1L, 1.0 / 3, m("350"), m("150"), 150.0 / 350),
        row(d("2024-01-01"), 3, 3L, 2L, 2.0 / 3, m("350"), m("210"), 210.0 / 350),
        // Feb cohort H: 30, 50, 30.
        row(d("2024-02-01"), 0, 1L, 1L, 1.0, m("30"), m("30"), 1.0),
        row(d("2024-02-01"), 1, 1L, 1L, 1.0, m("30"), m("50"), 50.0 / 30),
        row(d("2024-02-01"), 2, 1L, 1L, 1.0, m("30"), m("30"), 1.0),
        // Apr cohort F.
        row(d("2024-04-01"), 0, 1L, 1L, 1.0, m("40"), m("40"), 1.0));
    Dataset<Row> actual = CohortRetention.toCohortRetention(movements(), DIMS, AS_OF).filter("dimension = 'all'");
    assertSameRowsApprox(expected, actual);
  }

  @Test
  void monthsWithNobodyActiveAppearAsZero() {
    // B alone: Jan cohort, churned in Mar; Mar and Apr rows are zero, not missing.
    Dataset<Row> subs = frame(SUBS,
        row("S3", "B", "pro", d("2024-01-01"), d("2024-03-20"), m("200"), "price"));
    String cols = "cohort_month DATE, months_since INT, active_customers BIGINT, mrr DECIMAL(18,2), "
        + "logo_retention_rate DOUBLE";
    Dataset<Row> expected = frame(cols,
        row(d("2024-01-01"), 0, 1L, m("200"), 1.0),
        row(d("2024-01-01"), 1, 1L, m("200"), 1.0),
        row(d("2024-01-01"), 2, 0L, m("0"), 0.0),
        row(d("2024-01-01"), 3, 0L, m("0"), 0.0));
    Dataset<Row> movements = RevenueFamily.customerMovements(customers(), subs, DIMS, AS_OF);
    assertSameRows(expected, CohortRetention.toCohortRetention(movements, DIMS, AS_OF).filter("dimension = 'all'"));
  }
}
