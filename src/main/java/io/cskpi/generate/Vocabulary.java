package io.cskpi.generate;

/** The names the synthetic data is drawn from, with their weights: regions, industries, events, comments, ... */
final class Vocabulary {
  private Vocabulary() {}

  static final String[] REGIONS = {"NA", "EMEA", "APAC", "LATAM"};
  static final double[] REGION_WEIGHTS = {0.40, 0.35, 0.15, 0.10};
  static final String[] INDUSTRIES =
      {"software", "retail", "finance", "healthcare", "manufacturing", "education", "media"};
  static final String[] SIZES = {"1-10", "11-50", "51-200", "201-1000", "1000+"};
  static final double[] SIZE_WEIGHTS = {0.35, 0.30, 0.18, 0.12, 0.05};
  static final int CSMS = 8;
  static final int AGENTS = 15;

  static final String[] CANCEL_REASONS =
      {"price", "downgrade_to_free", "missing_features", "competitor", "business_closed", "support_quality"};
  /** Cancel-reason weights for small plans (starter, growth) and large ones (pro, enterprise). */
  static final double[] SMALL_PLAN_REASONS = {0.30, 0.25, 0.15, 0.15, 0.10, 0.05};
  static final double[] LARGE_PLAN_REASONS = {0.10, 0.02, 0.25, 0.35, 0.08, 0.20};

  static final String[] EVENTS =
      {"login", "report_viewed", "dashboard_created", "export", "integration_connected", "invite_sent"};
  static final double[] EVENT_WEIGHTS = {0.40, 0.30, 0.10, 0.10, 0.04, 0.06};
  static final String[] TICKET_CHANNELS = {"email", "chat", "phone", "web"};
  static final double[] TICKET_CHANNEL_WEIGHTS = {0.40, 0.35, 0.10, 0.15};
  static final String[] PRIORITIES = {"low", "normal", "high", "urgent"};
  static final double[] PRIORITY_WEIGHTS = {0.25, 0.50, 0.20, 0.05};

  /** ISO 639-1 codes of the languages of COMMENTS, in order. */
  static final String[] COMMENT_LANGUAGES = {"en", "nl", "de"};
  /** Survey comments by language and sentiment: [language][negative, neutral, positive][variant]. */
  static final String[][][] COMMENTS = {
      { // en
          {"Too expensive for what we get.", "Support takes days to answer.",
              "Missing the integrations we need.", "The app is slow and crashes often.",
              "We are moving to a competitor."},
          {"It does the job.", "Onboarding was okay, documentation could be better.",
              "Reports are fine but exports are clunky.", "Average support experience."},
          {"Great product, our team loves the dashboards.", "Support solved my issue within the hour.",
              "Easy to set up and great value for money.", "The new reporting features are excellent."}},
      { // nl
          {"Veel te duur voor wat we krijgen.", "De support reageert pas na dagen.",
              "We missen de koppelingen die we nodig hebben.", "De app is traag en crasht vaak."},
          {"Het doet wat het moet doen.", "De onboarding was redelijk, de documentatie kan beter."},
          {"Geweldig product, ons team is blij met de dashboards.", "Snel en vriendelijk geholpen door support.",
              "Makkelijk in gebruik en goede prijs-kwaliteitverhouding."}},
      { // de
          {"Viel zu teuer für den gebotenen Umfang.", "Der Support antwortet erst nach Tagen.",
              "Uns fehlen wichtige Integrationen.", "Die Anwendung ist langsam und stürzt oft ab."},
          {"Erfüllt seinen Zweck.", "Das Onboarding war in Ordnung, die Doku könnte besser sein."},
          {"Tolles Produkt, unser Team liebt die Dashboards.", "Der Support hat mein Problem sofort gelöst.",
              "Einfach einzurichten und ein gutes Preis-Leistungs-Verhältnis."}}};
}
