package io.cskpi.bench;

import java.math.BigDecimal;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.LocalDate;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * The revenue bridge computed by DuckDB, a single-machine engine, from the same Parquet input files: customer MRR
 * by month, its movements and revenue_monthly's counts and amounts by month, dimension and segment, written from
 * the definitions in the KPI catalog (not from cs-kpi's code). The benchmark times it and checks that every value
 * agrees with cs-kpi's revenue_monthly. DuckDB's JDBC driver is not part of cs-kpi: jobs/bench.sh puts it on the
 * classpath, and the tests have it.
 */
public final class DuckDbBridge {
  private DuckDbBridge() {}

  /** The bridge values compared, as revenue_monthly names them. */
  public static final List<String> VALUES = List.of("customers_start", "customers_new", "customers_reactivated",
      "customers_churned", "customers_end", "mrr_start", "mrr_new", "mrr_expansion", "mrr_contraction", "mrr_churned",
      "mrr_reactivation", "mrr_end");

  /** DuckDB's driver is on the classpath. */
  public static boolean available() {
    try {
      Class.forName("org.duckdb.DuckDBDriver");
      return true;
    } catch (ClassNotFoundException e) {
      return false;
    }
  }

  /** DuckDB's bridge: (period_month, dimension, segment) to the {@link #VALUES}, and the time it took. */
  public record Result(long millis, Map<List<String>, List<BigDecimal>> rows) {}

  public static Result compute(String parquetInputDir, LocalDate asOf, List<String> segments) throws SQLException {
    long t0 = System.nanoTime();
    Map<List<String>, List<BigDecimal>> rows = new LinkedHashMap<>();
    try (Connection c = DriverManager.getConnection("jdbc:duckdb:"); Statement s = c.createStatement()) {
      s.execute("SET threads TO " + Runtime.getRuntime().availableProcessors());
      try (ResultSet r = s.executeQuery(sql(parquetInputDir, asOf, segments))) {
        while (r.next()) {
          List<BigDecimal> values = new java.util.ArrayList<>();
          for (String v : VALUES) {
            values.add(r.getBigDecimal(v));
          }
          rows.put(List.of(r.getString("period_month"), r.getString("dimension"), r.getString("segment")), values);
        }
      }
    }
    return new Result((System.nanoTime() - t0) / 1_000_000, rows);
  }

  /** The bridge in DuckDB's SQL, from the catalog's definitions of customer_mrr_monthly and revenue_monthly. */
  static String sql(String input, LocalDate asOf, List<String> segments) {
    String dir = input.replace("'", "''");
    String month = "DATE '" + asOf.withDayOfMonth(1) + "'";
    String day = "DATE '" + asOf + "'";
    String dims = "{'dimension': 'all', 'segment': 'all'}" + segments.stream()
        .map(d -> ", {'dimension': '" + d + "', 'segment': coalesce(CAST(c." + d + " AS VARCHAR), 'unknown')}")
        .collect(Collectors.joining());
    return """
        WITH subs AS (
          SELECT customer_id, start_date, end_date, mrr FROM read_parquet('%1$s/subscriptions/**/*.parquet')
        ), months AS (
          SELECT customer_id, start_date, end_date, mrr,
            CAST(unnest(generate_series(CAST(date_trunc('month', start_date) AS DATE),
              least(%2$s, coalesce(CAST(date_trunc('month', end_date) AS DATE), %2$s)), INTERVAL 1 MONTH)) AS DATE)
              AS period_month
          FROM subs
          WHERE date_trunc('month', start_date) <= least(%2$s, coalesce(date_trunc('month', end_date), %2$s))
        ), active AS (
          SELECT customer_id, period_month, sum(mrr) AS mrr FROM months
          WHERE start_date <= least(last_day(period_month), %3$s)
            AND (end_date IS NULL OR end_date > least(last_day(period_month), %3$s))
          GROUP BY customer_id, period_month HAVING sum(mrr) > 0
        ), seq AS (
          SELECT customer_id, period_month, mrr,
            min(period_month) OVER (PARTITION BY customer_id) AS first_month,
            lag(period_month) OVER w AS prev_month, lag(mrr) OVER w AS prev_mrr, lead(period_month) OVER w AS next_month
          FROM active WINDOW w AS (PARTITION BY customer_id ORDER BY period_month)
        ), bridge AS (
          SELECT customer_id, period_month, mrr,
            CASE WHEN prev_month = CAST(period_month - INTERVAL 1 MONTH AS DATE) THEN prev_mrr ELSE 0 END
              AS previous_mrr, first_month
          FROM seq
          UNION ALL
          SELECT customer_id, CAST(period_month + INTERVAL 1 MONTH AS DATE), 0, mrr, first_month FROM seq
          WHERE (next_month IS NULL OR next_month <> CAST(period_month + INTERVAL 1 MONTH AS DATE))
            AND CAST(period_month + INTERVAL 1 MONTH AS DATE) <= %2$s
        ), moves AS (
          SELECT *, CASE
              WHEN previous_mrr = 0 AND mrr > 0 AND period_month = first_month THEN 'new'
              WHEN previous_mrr = 0 AND mrr > 0 THEN 'reactivation'
              WHEN previous_mrr > 0 AND mrr = 0 THEN 'churn'
              WHEN mrr > previous_mrr THEN 'expansion'
              WHEN mrr < previous_mrr THEN 'contraction'
              ELSE 'unchanged' END AS movement,
            mrr - previous_mrr AS mrr_change
          FROM bridge
        ), segmented AS (
          SELECT m.*, unnest([%4$s]) AS d
          FROM moves m LEFT JOIN read_parquet('%1$s/customers/**/*.parquet') c USING (customer_id)
        )
        SELECT CAST(period_month AS VARCHAR) AS period_month, d.dimension AS dimension, d.segment AS segment,
          count(*) FILTER (WHERE previous_mrr > 0) AS customers_start,
          count(*) FILTER (WHERE movement = 'new') AS customers_new,
          count(*) FILTER (WHERE movement = 'reactivation') AS customers_reactivated,
          count(*) FILTER (WHERE movement = 'churn') AS customers_churned,
          count(*) FILTER (WHERE mrr > 0) AS customers_end,
          sum(previous_mrr) AS mrr_start,
          coalesce(sum(mrr) FILTER (WHERE movement = 'new'), 0) AS mrr_new,
          coalesce(sum(mrr_change) FILTER (WHERE movement = 'expansion'), 0) AS mrr_expansion,
          coalesce(-sum(mrr_change) FILTER (WHERE movement = 'contraction'), 0) AS mrr_contraction,
          coalesce(sum(previous_mrr) FILTER (WHERE movement = 'churn'), 0) AS mrr_churned,
          coalesce(sum(mrr) FILTER (WHERE movement = 'reactivation'), 0) AS mrr_reactivation,
          sum(mrr) AS mrr_end
        FROM segmented
        GROUP BY 1, 2, 3
        """.formatted(dir, month, day, dims);
  }

  /** How two bridges agree: values compared, values equal, and keys only one side has (both ways). */
  public record Agreement(int values, int equal, int onlyOurs, int onlyTheirs) {
    public boolean agrees() {
      return values == equal && onlyOurs == 0 && onlyTheirs == 0 && values > 0;
    }
  }

  public static Agreement compare(Map<List<String>, List<BigDecimal>> ours, Map<List<String>, List<BigDecimal>> theirs) {
    int values = 0;
    int equal = 0;
    for (Map.Entry<List<String>, List<BigDecimal>> e : ours.entrySet()) {
      List<BigDecimal> other = theirs.get(e.getKey());
      if (other == null) {
        continue;
      }
      for (int i = 0; i < VALUES.size(); i++) {
        values++;
        BigDecimal a = e.getValue().get(i);
        BigDecimal b = other.get(i);
        if (a == null ? b == null : b != null && a.compareTo(b) == 0) {
          equal++;
        }
      }
    }
    int onlyOurs = (int) ours.keySet().stream().filter(k -> !theirs.containsKey(k)).count();
    int onlyTheirs = (int) theirs.keySet().stream().filter(k -> !ours.containsKey(k)).count();
    return new Agreement(values, equal, onlyOurs, onlyTheirs);
  }
}
