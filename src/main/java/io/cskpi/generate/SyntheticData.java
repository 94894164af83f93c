package io.cskpi.generate;

import io.cskpi.schema.InputTables;
import io.cskpi.schema.TableSpec;
import org.apache.spark.api.java.function.FlatMapFunction;
import org.apache.spark.api.java.function.MapFunction;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Encoders;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;

import java.time.LocalDate;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/**
 * The synthetic dataset: all seven input tables, generated on the executors from a range of customer
 * numbers, deterministically for a seed (each customer has its own random stream, so partitioning does not
 * matter).
 */
public final class SyntheticData {
  private SyntheticData() {}

  /** Every input table, lazily: nothing runs until a table is written. */
  public static Map<String, Dataset<Row>> generate(SparkSession spark, GeneratorSettings s) {
    Map<String, Dataset<Row>> tables = new LinkedHashMap<>();
    Dataset<Long> numbers = spark.range(0, s.customers(), 1, s.partitions());
    tables.put("customers", numbers.map((MapFunction<Long, Row>) n -> new CustomerStory(s, n).customerRow(),
        Encoders.row(InputTables.CUSTOMERS.schema())));
    tables.put("subscriptions", perCustomer(numbers, s, InputTables.SUBSCRIPTIONS, CustomerStory::subscriptionRows));
    tables.put("transactions", perCustomer(numbers, s, InputTables.TRANSACTIONS, CustomerStory::transactionRows));
    tables.put("costs", costs(spark, s));
    tables.put("usage_events", perCustomer(numbers, s, InputTables.USAGE_EVENTS, CustomerStory::usageRows));
    tables.put("tickets", perCustomer(numbers, s, InputTables.TICKETS, CustomerStory::ticketRows));
    tables.put("surveys", perCustomer(numbers, s, InputTables.SURVEYS, CustomerStory::surveyRows));
    return tables;
  }

  private interface RowsOf extends Function<CustomerStory, List<Row>>, java.io.Serializable {}

  private static Dataset<Row> perCustomer(Dataset<Long> numbers, GeneratorSettings s, TableSpec spec, RowsOf rows) {
    return numbers.flatMap((FlatMapFunction<Long, Row>) n -> rows.apply(new CustomerStory(s, n)).iterator(),
        Encoders.row(spec.schema()));
  }

  /**
   * Monthly spend: acquisition spend per channel follows the expected number of new paying customers times
   * the channel's cost per acquisition (with noise); brand marketing has no channel; customer success and
   * support scale with the expected customer base.
   */
  private static Dataset<Row> costs(SparkSession spark, GeneratorSettings s) {
    return spark.range(0, s.months(), 1, 1).flatMap((FlatMapFunction<Long, Row>) m -> {
      java.util.SplittableRandom rnd = new java.util.SplittableRandom(CustomerStory.mix(s.seed() ^ 0xC0575L, m));
      LocalDate month = s.start().plusMonths(m);
      double share = signupShare(s, month);
      double cumulative = signupShare(s, s.start(), month.plusMonths(1));
      List<Row> rows = new ArrayList<>();
      for (Market.Channel c : Market.CHANNELS) {
        double newCustomers = s.customers() * share * c.weight() * Math.min(0.9, c.trialConversion() * 1.1);
        rows.add(cost(month, "marketing", c.name(), newCustomers * c.marketingCac() * noise(rnd)));
        rows.add(cost(month, "sales", c.name(), newCustomers * c.salesCac() * noise(rnd)));
      }
      double base = s.customers() * cumulative * 0.3;
      rows.add(cost(month, "marketing", null, 0.1 * s.customers() * share * 300 * noise(rnd)));
      rows.add(cost(month, "customer_success", null, (base * 12 + 2_000) * noise(rnd)));
      rows.add(cost(month, "support", null, (base * 8 + 1_000) * noise(rnd)));
      return rows.iterator();
    }, Encoders.row(InputTables.COSTS.schema()));
  }

  private static Row cost(LocalDate month, String category, String channel, double amount) {
    return RowFactory.create(month, category, channel, CustomerStory.money(CustomerStory.round2(amount)));
  }

  private static double noise(java.util.SplittableRandom rnd) {
    return 0.85 + 0.3 * rnd.nextDouble();
  }

  /** Share of signups in {@code month}, from the signup-date law offset = days * u^0.8. */
  private static double signupShare(GeneratorSettings s, LocalDate month) {
    return signupShare(s, month, month.plusMonths(1));
  }

  private static double signupShare(GeneratorSettings s, LocalDate from, LocalDate to) {
    double days = ChronoUnit.DAYS.between(s.start(), s.end());
    double a = Math.min(1, Math.max(0, ChronoUnit.DAYS.between(s.start(), from) / days));
    double b = Math.min(1, Math.max(0, ChronoUnit.DAYS.between(s.start(), to) / days));
    return Math.pow(b, 1.25) - Math.pow(a, 1.25);
  }
}
