package io.cskpi.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.cskpi.SparkTest;
import org.junit.jupiter.api.Test;

/** cskpi clv-fit on the raw CDNOW sample file prints the published parameters. */
class ClvFitCliTest extends SparkTest {
  private static final String[] CDNOW = {"clv-fit", "--transactions",
      resource("cdnow").resolve("CDNOW_sample.txt").toString(),
      "--delimiter", "whitespace", "--no-header", "--customer-col", "1", "--date-col", "3", "--date-format",
      "yyyyMMdd", "--amount-col", "5", "--calibration-end", "1997-09-30", "--holdout-end", "1998-06-30",
      "--time-unit", "week"};

  @Test
  void jsonHasTheNamedParameters() throws Exception {
    String[] args = java.util.Arrays.copyOf(CDNOW, CDNOW.length + 1);
    args[CDNOW.length] = "--json";
    CliTest.Result r = CliTest.cskpi(args);
    assertEquals(0, r.code(), r.err());
    JsonNode json = new ObjectMapper().readTree(r.out().strip());
    assertEquals(0.243, json.get("r").asDouble(), 0.243 * 0.005);
    assertEquals(4.414, json.get("alpha").asDouble(), 4.414 * 0.005);
    assertEquals(0.793, json.get("a").asDouble(), 0.793 * 0.005);
    assertEquals(2.426, json.get("b").asDouble(), 2.426 * 0.005);
    assertEquals(6.25, json.get("p").asDouble(), 6.25 * 0.01);
    assertEquals(3.74, json.get("q").asDouble(), 3.74 * 0.01);
    assertEquals(15.44, json.get("gamma").asDouble(), 15.44 * 0.01);
    assertEquals(-9582.4, json.get("bgnbd_log_likelihood").asDouble(), 0.05);
    assertEquals(1882, json.get("holdout_actual").asLong());
    assertTrue(json.get("bgnbd_converged").asBoolean());
  }

  @Test
  void textOutputNamesParametersAndHoldout() {
    CliTest.Result r = CliTest.cskpi(CDNOW);
    assertEquals(0, r.code(), r.err());
    assertTrue(r.out().contains("r = 0.2426  alpha = 4.4136  a = 0.7929  b = 2.4259"), r.out());
    assertTrue(r.out().contains("actual 1882"), r.out());
  }

  @Test
  void unknownColumnIsAClearError() {
    String[] args = CDNOW.clone();
    args[7] = "9";
    CliTest.Result r = CliTest.cskpi(args);
    assertEquals(Cskpi.EXIT_BAD_INPUT, r.code());
    assertTrue(r.err().contains("no column '9'"), r.err());
  }

  @Test
  void rowsWhoseDateOrAmountDoesNotParseAreReportedNotSkippedSilently(@org.junit.jupiter.api.io.TempDir
      java.nio.file.Path dir) throws Exception {
    java.nio.file.Path file = dir.resolve("tx.csv");
    java.nio.file.Files.writeString(file, String.join("\n", "customer,day,amount",
        "a,2024-01-01,10", "a,2024-02-01,12", "b,2024-01-15,5", "b,2024-13-01,5", "c,2024-01-20,n/a", ""));
    CliTest.Result r = CliTest.cskpi("clv-fit", "--transactions", file.toString(), "--customer-col", "customer",
        "--date-col", "day", "--amount-col", "amount", "--calibration-end", "2024-03-31");
    assertTrue(r.err().contains("5 rows read: 1 skipped because the date does not parse as an ISO date, 1 counted "
        + "as purchases without spend because the amount does not parse"), r.err());
  }
}
