package io.cskpi.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.cskpi.SparkTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.File;
import java.lang.management.ManagementFactory;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;

/**
 * BI access as a BI tool has it: {@code cskpi serve} (its own JVM, as a user starts it) serves the tables of a run
 * over JDBC, and the Hive JDBC driver — what Tableau, Power BI (Spark connector) or Superset use — queries them by
 * name: the published run's view, the table with its comment, kpi_catalog; a run that publishes while it serves
 * shows at once; the quarantine is not served.
 */
class ServeTest extends SparkTest {
  @TempDir static Path dir;

  @Test
  void biToolsQueryTheResultTablesByNameOverJdbc() throws Exception {
    Path input = Files.createDirectories(dir.resolve("input"));
    Files.writeString(input.resolve("customers.csv"), "customer_id,signup_date,plan,region\n"
        + "A,2024-01-01,pro,EU\nB,2024-01-15,basic,NA\n");
    Files.writeString(input.resolve("subscriptions.csv"), "subscription_id,customer_id,plan,start_date,end_date,mrr,"
        + "cancel_reason\nS1,A,pro,2024-01-01,,100.00,\nS2,B,basic,2024-01-15,2024-03-10,20.00,price\n");
    String out = dir.resolve("out").toString();
    for (String asOf : List.of("2024-02-29", "2024-03-31")) {
      CliTest.Result r = CliTest.cskpi("run", "--input", input.toString(), "--input-format", "csv", "--output", out,
          "--as-of", asOf, "--set", "families=[revenue]");
      assertEquals(0, r.code(), r.err());
    }
    int port;
    try (ServerSocket free = new ServerSocket(0)) {
      port = free.getLocalPort();
    }
    List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString()));
    ManagementFactory.getRuntimeMXBean().getInputArguments().stream()
        .filter(a -> a.startsWith("--add-opens") || a.startsWith("--add-exports")).forEach(command::add);
    command.addAll(List.of("-Xmx1g", "-cp", System.getProperty("java.class.path"), "io.cskpi.cli.Cskpi", "serve",
        "--output", out, "--port", String.valueOf(port), "--refresh-seconds", "1", "--master", "local[1]",
        "--set", "families=[revenue]"));
    File log = dir.resolve("serve.log").toFile();
    Process serve = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log).start();
    try (Connection jdbc = connect(port, serve, log)) {
      Statement sql = jdbc.createStatement();
      // The published run (as of March 31): A 100.00, B churned in March.
      ResultSet current = sql.executeQuery("SELECT as_of_date, mrr_end, customers_churned FROM "
          + "revenue_monthly_current WHERE dimension = 'all' AND period_month = DATE'2024-03-01'");
      assertTrue(current.next());
      assertEquals("2024-03-31", current.getString(1));
      assertEquals(0, new java.math.BigDecimal("100.00").compareTo(current.getBigDecimal(2)));
      assertEquals(1, current.getLong(3));
      // The table holds both as-of dates; the view only the published one.
      ResultSet dates = sql.executeQuery("SELECT count(DISTINCT as_of_date) FROM revenue_monthly");
      assertTrue(dates.next());
      assertEquals(2, dates.getLong(1));
      ResultSet kpis = sql.executeQuery("SELECT unit, definition, formula, grain, source_tables FROM kpi_catalog "
          + "WHERE name = 'revenue_monthly.nrr'");
      assertTrue(kpis.next());
      assertEquals("ratio", kpis.getString(1));
      assertTrue(kpis.getString(2).startsWith("Net revenue retention"), kpis.getString(2));
      assertEquals("Net revenue retention: (mrr_start + expansion - contraction - churned) / mrr_start",
          kpis.getString(3));
      assertEquals("month × dimension × segment", kpis.getString(4));
      assertEquals("customers, subscriptions", kpis.getString(5));
      ResultSet described = sql.executeQuery("DESCRIBE TABLE EXTENDED revenue_monthly");
      StringBuilder text = new StringBuilder();
      while (described.next()) {
        text.append(described.getString(1)).append(" | ").append(described.getString(2)).append(" | ")
            .append(described.getString(3)).append('\n');
      }
      assertTrue(text.toString().contains("mrr_end | decimal(18,2) | MRR of the month."), text.toString());
      assertTrue(text.toString().contains("MRR bridge, logo churn, retention"), text.toString());
      // The quarantine (rows as read) is not served unless conf says so.
      ResultSet tables = sql.executeQuery("SHOW TABLES");
      List<String> names = new ArrayList<>();
      while (tables.next()) {
        names.add(tables.getString(2));
      }
      assertTrue(names.containsAll(List.of("revenue_monthly", "revenue_monthly_current", "run_log", "kpi_catalog")),
          names.toString());
      assertTrue(names.stream().noneMatch(n -> n.startsWith("quarantine")), names.toString());
      // A run that publishes while serve runs shows at once through the same connection: the views read the run
      // log when queried. April: A 100.00, B gone.
      CliTest.Result april = CliTest.cskpi("run", "--input", input.toString(), "--input-format", "csv", "--output",
          out, "--as-of", "2024-04-30", "--set", "families=[revenue]");
      assertEquals(0, april.code(), april.err());
      ResultSet now = sql.executeQuery("SELECT DISTINCT as_of_date FROM revenue_monthly_current");
      assertTrue(now.next());
      assertEquals("2024-04-30", now.getString(1));
      assertTrue(!now.next(), "one as-of date");
      ResultSet three = sql.executeQuery("SELECT count(DISTINCT as_of_date) FROM revenue_monthly");
      assertTrue(three.next());
      assertEquals(3, three.getLong(1));
    } finally {
      serve.destroy();
      serve.waitFor(30, java.util.concurrent.TimeUnit.SECONDS);
      serve.destroyForcibly();
    }
  }

  /** Connects once the server answers (it starts in its own JVM: a minute at most on a slow machine). */
  private static Connection connect(int port, Process serve, File log) throws Exception {
    Class.forName("org.apache.hive.jdbc.HiveDriver");
    long deadline = System.nanoTime() + 180_000_000_000L;
    while (true) {
      try {
        return DriverManager.getConnection("jdbc:hive2://127.0.0.1:" + port + "/cskpi", "", "");
      } catch (java.sql.SQLException e) {
        if (!serve.isAlive() || System.nanoTime() > deadline) {
          throw new AssertionError("cskpi serve did not answer on port " + port + ":\n" + Files.readString(log.toPath()), e);
        }
        Thread.sleep(1000);
      }
    }
  }
}
