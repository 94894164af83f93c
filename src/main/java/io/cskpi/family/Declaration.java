package io.cskpi.family;

import io.cskpi.quality.RowRule;
import io.cskpi.schema.TableSpec;

import java.util.ArrayList;
import java.util.List;

/**
 * What a family reads, writes, checks, takes as settings and reports: everything the pipeline needs to order the
 * families, read each input once, check and document the results and print the run summary.
 *
 * @param name        the family's name in conf {@code cskpi.families} and its settings section {@code cskpi.<name>}
 * @param inputs      input tables of the data model it reads
 * @param readsResults result tables of other families it reads (they run before it)
 * @param writes      result tables it writes, in order
 * @param rules       row rules it adds to its inputs (bad rows go to the shared quarantine)
 * @param settings    reader of its typed settings from {@code cskpi.<name>}
 * @param summary     its section of the run summary
 */
public record Declaration(String name, String description, List<TableSpec> inputs, List<ResultTable> readsResults,
    List<ResultTable> writes, List<RowRule> rules, FamilySettings.Reader<?> settings, SummarySection summary) {

  public static Builder family(String name, String description) {
    return new Builder(name, description);
  }

  public static final class Builder {
    private final String name;
    private final String description;
    private final List<TableSpec> inputs = new ArrayList<>();
    private final List<ResultTable> reads = new ArrayList<>();
    private final List<ResultTable> writes = new ArrayList<>();
    private final List<RowRule> rules = new ArrayList<>();
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

    public Builder readsResults(ResultTable... tables) {
      reads.addAll(List.of(tables));
      return this;
    }

    public Builder writes(ResultTable... tables) {
      writes.addAll(List.of(tables));
      return this;
    }

    public Builder rules(RowRule... more) {
      for (RowRule r : more) {
        if (inputs.stream().noneMatch(t -> t.name().equals(r.table()))) {
          throw new IllegalArgumentException("family " + name + ": rule " + r.name() + " is on table " + r.table()
              + ", which the family does not read");
        }
        rules.add(r);
      }
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
      return new Declaration(name, description, List.copyOf(inputs), List.copyOf(reads), List.copyOf(writes),
          List.copyOf(rules), settings, summary);
    }
  }
}
