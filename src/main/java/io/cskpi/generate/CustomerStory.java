package io.cskpi.generate;

import static io.cskpi.generate.Market.CHANNELS;
import static io.cskpi.generate.Market.PLANS;

import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

/**
 * The simulated life of one customer: signup, trial, plan changes, churn and win-back, and the usage,
 * tickets, surveys and payments that go with it. Deterministic for (seed, customer number); built on an
 * executor, one customer at a time, so data of any size never passes through the driver.
 */
final class CustomerStory {
  /** A subscription period at one price. */
  record Sub(String id, String plan, LocalDate start, LocalDate end, double mrr, String reason) {}

  private final GeneratorSettings s;
  private final long n;
  private final String id;
  private final SplittableRandom rnd;

  final LocalDate signup;
  final Market.Channel channel;
  final String region;
  final String industry;
  final int sizeIndex;
  final double fit;
  final LocalDate trialStart;
  final LocalDate trialEnd;
  final List<Sub> subs = new ArrayList<>();
  String csmOwner;
  String currentPlan;

  CustomerStory(GeneratorSettings settings, long customerNumber) {
    this.s = settings;
    this.n = customerNumber;
    this.id = String.format("C%08d", customerNumber);
    this.rnd = new SplittableRandom(mix(settings.seed(), customerNumber));
    long days = ChronoUnit.DAYS.between(s.start(), s.end());
    // Signups grow over time: offset = days * u^0.8.
    this.signup = s.start().plusDays((long) Math.floor(days * Math.pow(rnd.nextDouble(), 0.8)));
    this.channel = CHANNELS.get(pick(CHANNELS.stream().mapToDouble(Market.Channel::weight).toArray()));
    this.region = Vocabulary.REGIONS[pick(Vocabulary.REGION_WEIGHTS)];
    this.industry = Vocabulary.INDUSTRIES[rnd.nextInt(Vocabulary.INDUSTRIES.length)];
    this.sizeIndex = pick(Vocabulary.SIZE_WEIGHTS);
    this.fit = Math.exp(0.5 * gaussian());
    boolean hasTrial = rnd.nextDouble() < 0.8;
    this.trialStart = hasTrial ? signup : null;
    this.trialEnd = hasTrial ? signup.plusDays(14) : null;
    boolean converts = rnd.nextDouble() < (hasTrial ? Math.min(0.9, channel.trialConversion() * fit) : 0.9);
    LocalDate paidStart = hasTrial ? trialEnd : signup;
    if (converts && !paidStart.isAfter(s.end())) {
      simulateSubscriptions(paidStart);
    }
    this.currentPlan = subs.isEmpty() ? "trial" : subs.get(subs.size() - 1).plan();
  }

  static long mix(long seed, long n) {
    long z = seed * 0x9E3779B97F4A7C15L + n * 0xBF58476D1CE4E5B9L;
    z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
    z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
    return z ^ (z >>> 31);
  }

  private int pick(double[] weights) {
    double u = rnd.nextDouble();
    double total = 0;
    for (double w : weights) {
      total += w;
    }
    double acc = 0;
    for (int i = 0; i < weights.length; i++) {
      acc += weights[i] / total;
      if (u < acc) {
        return i;
      }
    }
    return weights.length - 1;
  }

  private double gaussian() {
    // Box-Muller: SplittableRandom has no nextGaussian on Java 17.
    return Math.sqrt(-2 * Math.log(1 - rnd.nextDouble())) * Math.cos(2 * Math.PI * rnd.nextDouble());
  }

  private int poisson(double lambda) {
    double l = Math.exp(-lambda);
    int k = 0;
    double p = 1;
    do {
      k++;
      p *= rnd.nextDouble();
    } while (p > l && k < 50);
    return k - 1;
  }

  private void simulateSubscriptions(LocalDate paidStart) {
    int plan = Math.min(3, Math.max(0, sizeIndex - 1 + (channel.name().equals("outbound_sales") ? 1 : 0)
        + (rnd.nextDouble() < 0.3 ? 1 : 0) - (rnd.nextDouble() < 0.3 ? 1 : 0)));
    double mrr = price(plan);
    csmOwner = plan >= 2 || (plan == 1 && rnd.nextDouble() < 0.5)
        ? String.format("csm_%02d", 1 + rnd.nextInt(Vocabulary.CSMS)) : null;
    LocalDate segStart = paidStart;
    LocalDate anniversary = paidStart;
    int tenure = 0;
    LocalDate addonStart = rnd.nextDouble() < 0.08 ? paidStart.plusMonths(1 + rnd.nextInt(12)) : null;
    while (true) {
      anniversary = anniversary.plusMonths(1);
      tenure++;
      if (anniversary.isAfter(s.end())) {
        addSub(PLANS.get(plan).name(), segStart, null, mrr, null);
        addAddon(addonStart, null);
        return;
      }
      double hazard = PLANS.get(plan).monthlyChurn() * channel.churnMultiplier() / fit * (tenure <= 3 ? 1.5 : 1.0)
          * (roughPatch(anniversary) ? 3.0 : 1.0);
      LocalDate changeDay = anniversary.plusDays(rnd.nextInt(28));
      double u = rnd.nextDouble();
      if (u < hazard) {
        String reason = rnd.nextDouble() < 0.1 ? null : Vocabulary.CANCEL_REASONS[
            pick(plan <= 1 ? Vocabulary.SMALL_PLAN_REASONS : Vocabulary.LARGE_PLAN_REASONS)];
        addSub(PLANS.get(plan).name(), segStart, changeDay, mrr, reason);
        addAddon(addonStart, changeDay);
        addonStart = null;
        if (rnd.nextDouble() >= 0.12) {
          return;
        }
        // Win-back: a new subscription 2 to 8 months later, often on a smaller plan.
        segStart = changeDay.plusMonths(2 + rnd.nextInt(7));
        if (segStart.isAfter(s.end())) {
          return;
        }
        plan = Math.max(0, plan - (rnd.nextDouble() < 0.5 ? 1 : 0));
        mrr = price(plan);
        anniversary = segStart;
        tenure = 0;
        continue;
      }
      u -= hazard;
      double newMrr = mrr;
      int newPlan = plan;
      if (u < 0.025 && plan < 3) {
        newPlan = plan + 1;
        newMrr = price(newPlan);
      } else if (u < 0.037 && plan > 0) {
        newPlan = plan - 1;
        newMrr = price(newPlan);
      } else if (u < 0.067) {
        newMrr = round2(mrr * (1.1 + 0.2 * rnd.nextDouble()));
      } else if (u < 0.077) {
        newMrr = Math.max(price(plan), round2(mrr * (0.8 + 0.1 * rnd.nextDouble())));
      }
      if (newMrr != mrr && !changeDay.isAfter(s.end())) {
        // A plan or seat change ends one subscription and starts the next on the same day.
        addSub(PLANS.get(plan).name(), segStart, changeDay, mrr, null);
        segStart = changeDay;
        plan = newPlan;
        mrr = newMrr;
      }
    }
  }

  private double price(int plan) {
    double base = PLANS.get(plan).price();
    return round2(base * (1 + 0.25 * Math.min(sizeIndex, 3) * rnd.nextDouble()));
  }

  private void addSub(String plan, LocalDate start, LocalDate end, double mrr, String reason) {
    subs.add(new Sub(id + "-S" + (subs.size() + 1), plan, start, end, mrr, reason));
  }

  private void addAddon(LocalDate start, LocalDate end) {
    if (start != null && (end == null || start.isBefore(end)) && !start.isAfter(s.end())) {
      addSub(Market.ADDON, start, end, Market.ADDON_PRICE, end == null ? null : "downgrade_to_free");
    }
  }

  static double round2(double v) {
    return Math.round(v * 100) / 100.0;
  }

  static BigDecimal money(double v) {
    return BigDecimal.valueOf(v).setScale(2, RoundingMode.HALF_UP);
  }

  private Instant at(LocalDate day) {
    return day.atStartOfDay(ZoneOffset.UTC).toInstant().plusSeconds(rnd.nextInt(86_400));
  }

  private boolean seen(Instant t) {
    return !t.isAfter(s.end().atStartOfDay(ZoneOffset.UTC).toInstant().plus(1, ChronoUnit.DAYS));
  }

  /** First day with no subscription active at all after {@code day}, or null if active to the end. */
  private LocalDate nextChurn(LocalDate day) {
    LocalDate lastEnd = null;
    for (Sub sub : subs) {
      if (!sub.start().isAfter(day) && (sub.end() == null || sub.end().isAfter(day))) {
        LocalDate end = sub.end();
        // Follow same-day switches to the end of this active run.
        boolean extended = true;
        while (extended && end != null) {
          extended = false;
          for (Sub next : subs) {
            if (next.start().equals(end) && !next.plan().equals(Market.ADDON)) {
              end = next.end();
              extended = true;
              break;
            }
          }
        }
        if (end == null) {
          return null;
        }
        lastEnd = lastEnd == null || end.isAfter(lastEnd) ? end : lastEnd;
      }
    }
    return lastEnd;
  }

  private boolean paying(LocalDate day) {
    return subs.stream().anyMatch(x -> !x.start().isAfter(day) && (x.end() == null || x.end().isAfter(day)));
  }

  /**
   * 1 for a healthy month, lower before churn: usage declines, tickets rise and scores fall in the three months
   * before most churns. With noise, so that a health score can predict churn but not perfectly: 30% of churns come
   * without warning, and a rough patch (5% of months) lowers the signals without ending in churn most of the time
   * (it triples that month's churn hazard).
   */
  private double engagement(LocalDate day) {
    double level = roughPatch(day) ? 0.5 : 1.0;
    LocalDate churn = nextChurn(day);
    if (churn == null || unit(churn.toEpochDay(), 1) < 0.3) {
      return level;
    }
    long monthsLeft = ChronoUnit.MONTHS.between(day, churn);
    return monthsLeft >= 3 ? level : Math.min(level, 0.25 + 0.25 * monthsLeft);
  }

  /** A month of trouble (low usage, more tickets, lower scores), the same whichever table asks. */
  private boolean roughPatch(LocalDate day) {
    return unit(day.getYear() * 12L + day.getMonthValue(), 2) < 0.05;
  }

  /** A uniform number in [0, 1) fixed by the seed, the customer, {@code key} and {@code salt}, apart from rnd. */
  private double unit(long key, long salt) {
    return (mix(mix(s.seed(), n) ^ salt, key) >>> 11) * 0x1.0p-53;
  }

  // ---------------------------------------------------------------- rows of each table

  Row customerRow() {
    return RowFactory.create(id, signup, channel.name(), currentPlan, region, industry,
        Vocabulary.SIZES[sizeIndex], csmOwner, trialStart, trialEnd);
  }

  List<Row> subscriptionRows() {
    List<Row> rows = new ArrayList<>();
    for (Sub sub : subs) {
      rows.add(RowFactory.create(sub.id(), id, sub.plan(), sub.start(), sub.end(), money(sub.mrr()),
          sub.reason()));
    }
    return rows;
  }

  List<Row> transactionRows() {
    List<Row> rows = new ArrayList<>();
    int k = 0;
    for (Sub sub : subs) {
      for (LocalDate bill = sub.start(); (sub.end() == null || bill.isBefore(sub.end())) && !bill.isAfter(s.end());
          bill = bill.plusMonths(1)) {
        Instant ts = at(bill);
        rows.add(RowFactory.create(id + "-T" + (++k), id, ts, money(sub.mrr()), "recurring"));
        if (rnd.nextDouble() < 0.01) {
          Instant refundTs = ts.plus(1 + rnd.nextInt(10), ChronoUnit.DAYS);
          if (seen(refundTs)) {
            rows.add(RowFactory.create(id + "-T" + (++k), id, refundTs,
                money(round2(sub.mrr() * (0.3 + 0.7 * rnd.nextDouble()))), "refund"));
          }
        }
      }
    }
    if (!subs.isEmpty()) {
      Sub first = subs.get(0);
      if (first.plan().equals("pro") || first.plan().equals("enterprise")) {
        double fee = first.plan().equals("pro") ? 500 : 2500;
        rows.add(RowFactory.create(id + "-T" + (++k), id, at(first.start()), money(fee), "one_off"));
      }
      for (Sub sub : subs) {
        if (rnd.nextDouble() < 0.05 && !sub.start().plusDays(20).isAfter(s.end())) {
          rows.add(RowFactory.create(id + "-T" + (++k), id, at(sub.start().plusDays(rnd.nextInt(20))),
              money(round2(200 + 1800 * rnd.nextDouble())), "one_off"));
        }
      }
    }
    return rows;
  }

  /** Months (first days) in which the customer used the product: the trial and every paying month. */
  private List<LocalDate> activeMonths() {
    List<LocalDate> months = new ArrayList<>();
    LocalDate first = (trialStart != null ? trialStart : signup).withDayOfMonth(1);
    for (LocalDate m = first; !m.isAfter(s.end()); m = m.plusMonths(1)) {
      LocalDate mid = m.plusDays(14);
      boolean inTrial = trialStart != null && !m.isAfter(trialEnd) && !m.plusMonths(1).isBefore(trialStart);
      if (inTrial || paying(m) || paying(mid) || paying(m.plusMonths(1).minusDays(1))) {
        months.add(m);
      }
    }
    return months;
  }

  private int users() {
    return 1 + Math.min(7, sizeIndex * 2);
  }

  List<Row> usageRows() {
    List<Row> rows = new ArrayList<>();
    int users = users();
    for (LocalDate m : activeMonths()) {
      double level = engagement(m.plusDays(14)) * Math.min(2.0, fit) * (subs.isEmpty() ? 0.5 : 1.0);
      int events = poisson(s.eventsPerCustomerMonth() * level);
      int session = 0;
      for (int e = 0; e < events; e++) {
        if (e % 4 == 0) {
          session++;
        }
        Instant ts = at(m.plusDays(rnd.nextInt(m.lengthOfMonth())));
        if (!seen(ts)) {
          continue;
        }
        rows.add(RowFactory.create(id, id + "-U" + (1 + rnd.nextInt(users)), ts,
            Vocabulary.EVENTS[pick(Vocabulary.EVENT_WEIGHTS)],
            rnd.nextDouble() < 0.05 ? null : id + "-" + m.toString().substring(0, 7) + "-" + session));
      }
    }
    return rows;
  }

  List<Row> ticketRows() {
    List<Row> rows = new ArrayList<>();
    int k = 0;
    for (LocalDate m : activeMonths()) {
      double risk = 1.0 - engagement(m.plusDays(14));
      int count = poisson(0.25 * (1 + sizeIndex) * (1 + 2 * risk));
      for (int t = 0; t < count; t++) {
        Instant created = at(m.plusDays(rnd.nextInt(m.lengthOfMonth())));
        if (!seen(created)) {
          continue;
        }
        int priority = pick(Vocabulary.PRIORITY_WEIGHTS);
        // Agents answer within working hours (Mon-Fri 09:00-17:00 UTC), urgent tickets a little faster.
        double responseMinutes = Math.exp(Math.log(150.0 / (1 + priority)) + 0.9 * gaussian());
        Instant response = inWorkingHours(created, (long) (60 * responseMinutes));
        Instant resolved = response.plusSeconds((long) (3600 * Math.exp(Math.log(6) + 1.1 * gaussian())));
        int contacts = 1 + poisson(0.6 + risk);
        boolean reopened = rnd.nextDouble() < 0.06 + 0.15 * risk;
        rows.add(RowFactory.create(id + "-K" + (++k), id,
            String.format("agent_%02d", 1 + rnd.nextInt(Vocabulary.AGENTS)),
            Vocabulary.TICKET_CHANNELS[pick(Vocabulary.TICKET_CHANNEL_WEIGHTS)], Vocabulary.PRIORITIES[priority],
            created, seen(response) ? response : null, seen(resolved) ? resolved : null, contacts, reopened));
      }
    }
    return rows;
  }

  /** The instant {@code seconds} of working time (Mon-Fri 09:00-17:00 UTC) after {@code from}. */
  private static Instant inWorkingHours(Instant from, long seconds) {
    java.time.LocalDateTime t = java.time.LocalDateTime.ofInstant(from, ZoneOffset.UTC);
    long left = seconds;
    while (true) {
      java.time.LocalDateTime open = t.toLocalDate().atTime(9, 0);
      java.time.LocalDateTime close = t.toLocalDate().atTime(17, 0);
      boolean workday = t.getDayOfWeek().getValue() <= 5;
      if (!workday || !t.isBefore(close)) {
        t = t.toLocalDate().plusDays(1).atTime(9, 0);
        continue;
      }
      if (t.isBefore(open)) {
        t = open;
      }
      long available = ChronoUnit.SECONDS.between(t, close);
      if (left < available) {
        return t.plusSeconds(left).toInstant(ZoneOffset.UTC);
      }
      left -= available;
      t = t.toLocalDate().plusDays(1).atTime(9, 0);
    }
  }

  List<Row> surveyRows() {
    List<Row> rows = new ArrayList<>();
    int k = 0;
    // CES once after onboarding.
    LocalDate onboarded = (trialEnd != null ? trialEnd : signup).plusDays(7);
    if (!onboarded.isAfter(s.end()) && rnd.nextDouble() < 0.4) {
      int score = clamp((int) Math.round(4.5 + 1.2 * Math.log(fit) * 2 + gaussian()), 1, 7);
      rows.add(survey(++k, "CES", score, mood(score, 3, 5), onboarded, "onboarding"));
    }
    // CSAT at checkout of the first subscription.
    if (!subs.isEmpty() && !subs.get(0).start().isAfter(s.end()) && rnd.nextDouble() < 0.5) {
      int score = clamp((int) Math.round(4.0 + 0.4 * Math.log(fit) + 0.8 * gaussian()), 1, 5);
      rows.add(survey(++k, "CSAT", score, mood(score, 2, 3), subs.get(0).start(), "checkout"));
    }
    // Relationship NPS every six months of a paying customer (a few without a touchpoint); CSAT and CES after
    // some tickets' months. Scores fall in the months before churn.
    for (LocalDate m : activeMonths()) {
      LocalDate day = m.plusDays(rnd.nextInt(m.lengthOfMonth()));
      if (day.isAfter(s.end()) || !paying(day)) {
        continue;
      }
      double risk = 1.0 - engagement(day);
      if (m.getMonthValue() % 6 == signup.getMonthValue() % 6 && rnd.nextDouble() < 0.35) {
        int score = clamp((int) Math.round(8 + 1.5 * Math.log(fit) - 4 * risk + 1.8 * gaussian()), 0, 10);
        rows.add(survey(++k, "NPS", score, mood(score, 6, 8), day, rnd.nextDouble() < 0.1 ? null : "relationship"));
      }
      if (rnd.nextDouble() < 0.12 * (1 + sizeIndex) * (1 + risk)) {
        int score = clamp((int) Math.round(4.2 - 2 * risk + 0.5 * Math.log(fit) + 0.9 * gaussian()), 1, 5);
        rows.add(survey(++k, "CSAT", score, mood(score, 2, 3), day, "support"));
        if (rnd.nextDouble() < 0.3) {
          int effort = clamp((int) Math.round(5.2 - 2.5 * risk + 0.9 * gaussian()), 1, 7);
          rows.add(survey(++k, "CES", effort, mood(effort, 3, 5), day, "support"));
        }
      }
    }
    return rows;
  }

  /** 0 (negative) up to {@code negativeTo}, 1 (neutral) up to {@code neutralTo}, else 2 (positive). */
  private static int mood(int score, int negativeTo, int neutralTo) {
    return score <= negativeTo ? 0 : score <= neutralTo ? 1 : 2;
  }

  /** One answer; 40% carry a comment of the answer's mood, half of those with the language known. */
  private Row survey(int k, String type, int score, int mood, LocalDate day, String touchpoint) {
    String comment = null;
    String languageCode = null;
    if (rnd.nextDouble() < 0.4) {
      int language = region.equals("EMEA") ? pick(new double[] {0.5, 0.25, 0.25}) : 0;
      String[] options = Vocabulary.COMMENTS[language][mood];
      comment = options[rnd.nextInt(options.length)];
      languageCode = rnd.nextDouble() < 0.5 ? Vocabulary.COMMENT_LANGUAGES[language] : null;
    }
    return RowFactory.create(id + "-R" + k, id, type, score, comment, at(day), touchpoint, languageCode);
  }

  private static int clamp(int v, int lo, int hi) {
    return Math.max(lo, Math.min(hi, v));
  }
}
