package io.cskpi.family;

import io.cskpi.quality.RowRule;
import io.cskpi.schema.TableSpec;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;

/**
 * What a family reads, writes, checks, takes as settings and reports: everything the pipeline needs to order the
 * families, read each input once, check and document the results and print the run summary.
 *
 * @param name          the family's name in conf {@code cskpi.families} and its settings section {@code cskpi.<name>}
 * @param inputs        input tables of the data model it needs (a run without one stops)
 * @param optionalInputs input tables it uses when present: an absent one reads as empty
 * @param readsResults  result tables of other families it needs (they run before it; leaving them out is an error)
 * @param usesResults   result tables of other families it uses when those families run (before it), and does
 *                      without otherwise
 * @param writes        result tables it writes, in order
 * @param rules         row rules it adds to its inputs (bad rows go to the shared quarantine), from its settings
 * @param settings      reader of its typed settings from {@code cskpi.<name>}
 * @param summary       its section of the run summary
 */
public record Declaration(String name, String description, List<TableSpec> inputs, List<TableSpec> optionalInputs,
    List<ResultTable> readsResults,
    List<ResultTable> usesResults, List<ResultTable> writes, Function<Object, List<RowRule>> rules,
    FamilySettings.Reader<?> settings, SummarySection summary) {

  public static Builder family(String name, String description) {
    return new Builder(name, description);
  }

  /** Every input table the family reads: needed or used when present. */
  public List<TableSpec> inputsRead() {
    List<TableSpec> all = new ArrayList<>(inputs);
    all.addAll(optionalInputs);
    return all;
  }

  /** Every result table the family reads: needed or used when present. */
  public List<ResultTable> resultsRead() {
    List<ResultTable> all = new ArrayList<>(readsResults);
    all.addAll(usesResults);
    return all;
  }

  /** The row rules for the family's {@code settings} (the record its reader returned). */
  public List<RowRule> rules(Object settings) {
    List<RowRule> all = rules.apply(settings);
    for (RowRule r : all) {
      if (inputsRead().stream().noneMatch(t -> t.name().equals(r.table()))) {
        throw new IllegalStateException("family " + name + ": rule " + r.name() + " is on table " + r.table()
            + ", which the family does not read");
      }
    }
    return all;
  }

  /** The row rules under the default settings: for documentation and the registry's checks. */
  public List<RowRule> defaultRules() {
    return rules(FamilySettings.defaults(name, settings));
  }

  public static final class Builder {
    private final String name;
    private final String description;
    private final List<TableSpec> inputs = new ArrayList<>();
    private final List<TableSpec> optionalInputs = new ArrayList<>();
    private final List<ResultTable> reads = new ArrayList<>();
    private final List<ResultTable> uses = new ArrayList<>();
    private final List<ResultTable> writes = new ArrayList<>();
    private final List<RowRule> fixedRules = new ArrayList<>();
    private Function<Object, List<RowRule>> settingRules = s -> List.of();
    private FamilySettings.Reader<?> settings = s -> null;
    private SummarySection summary = SummarySection.NONE;

    private Builder(String name, String description) {
      if (!name.matches("[a-z][a-z0-9_]*")) {
        throw new IllegalArgumentException("family name must be snake_case: " + name);
      }
      this.name = name;
      this.description = description;
    }

    public Builder reads(TableSpec... tables) {
      inputs.addAll(List.of(tables));
      return this;
    }

    /** Input tables the family uses when the data has them; an absent one reads as an empty table. */
    public Builder readsWhenPresent(TableSpec... tables) {
      optionalInputs.addAll(List.of(tables));
      return this;
    }

    public Builder readsResults(ResultTable... tables) {
      reads.addAll(List.of(tables));
      return this;
    }

    /** Result tables the family uses when their family runs too, and does without when it does not. */
    public Builder usesResultsWhenRun(ResultTable... tables) {
      uses.addAll(List.of(tables));
      return this;
    }

    public Builder writes(ResultTable... tables) {
      writes.addAll(List.of(tables));
      return this;
    }

    public Builder rules(RowRule... more) {
      for (RowRule r : more) {
        if (inputs.stream().noneMatch(t -> t.name().equals(r.table()))
            && optionalInputs.stream().noneMatch(t -> t.name().equals(r.table()))) {
          throw new IllegalArgumentException("family " + name + ": rule " + r.name() + " is on table " + r.table()
              + ", which the family does not read");
        }
        fixedRules.add(r);
      }
      return this;
    }

    /** Rules that depend on the family's settings (a score scale from conf, say), besides the fixed ones. */
    public <S> Builder rules(Class<S> settingsType, Function<S, List<RowRule>> fromSettings) {
      this.settingRules = s -> fromSettings.apply(settingsType.cast(s));
      return this;
    }

    public Builder settings(FamilySettings.Reader<?> reader) {
      this.settings = reader;
      return this;
    }

    public Builder summary(SummarySection section) {
      this.summary = section;
      return this;
    }

    public Declaration build() {
      if (writes.isEmpty()) {
        throw new IllegalArgumentException("family " + name + " writes no result table");
      }
      List<RowRule> fixed = List.copyOf(fixedRules);
      Function<Object, List<RowRule>> fromSettings = settingRules;
      Function<Object, List<RowRule>> all = s -> {
        List<RowRule> rules = new ArrayList<>(fixed);
        rules.addAll(fromSettings.apply(s));
        return List.copyOf(rules);
      };
      return new Declaration(name, description, List.copyOf(inputs), List.copyOf(optionalInputs), List.copyOf(reads),
          List.copyOf(uses),
          List.copyOf(writes), all, settings, summary);
    }
  }
}
