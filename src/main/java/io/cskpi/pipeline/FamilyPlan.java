package io.cskpi.pipeline;

import io.cskpi.config.CskpiConfig;
import io.cskpi.config.InvalidSettingException;
import io.cskpi.family.Declaration;
import io.cskpi.family.FamilySettings;
import io.cskpi.family.KpiFamily;
import io.cskpi.family.ResultTable;
import io.cskpi.schema.TableSpec;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * What a run will do, derived from the families' declarations and the conf before any data is read: the chosen
 * families in dependency order (a family runs after the families whose result tables it reads), each one's
 * validated settings, and the input tables to read, each once.
 */
public record FamilyPlan(List<KpiFamily> families, Map<String, Object> settings, List<TableSpec> inputs) {
  /** conf cskpi.families = [all]: every registered family. */
  public static final String ALL = "all";

  /** Checks the registry, then plans the families named in conf cskpi.families with their settings. */
  public static FamilyPlan of(List<KpiFamily> registry, CskpiConfig config) {
    List<KpiFamily> all = ordered(registry);
    List<String> known = all.stream().map(KpiFamily::name).toList();
    // "all" (the default) is every family of the registry, so a new family runs without a conf change.
    for (String name : config.families()) {
      if (!known.contains(name) && !name.equals(ALL)) {
        throw new InvalidSettingException("cskpi.families = " + config.families() + ": unknown family '" + name
            + "'; known: " + registry.stream().map(KpiFamily::name).toList() + " or all");
      }
    }
    List<String> wanted = config.families().contains(ALL) ? known : config.families();
    for (String section : config.familySectionNames()) {
      if (!known.contains(section)) {
        throw new InvalidSettingException("unknown setting section cskpi." + section + ": neither a core setting nor "
            + "a KPI family's settings; families: " + registry.stream().map(KpiFamily::name).toList());
      }
    }
    Map<String, KpiFamily> producers = producers(all);
    List<KpiFamily> chosen = all.stream().filter(f -> wanted.contains(f.name())).toList();
    for (KpiFamily f : chosen) {
      for (ResultTable needed : f.declaration().readsResults()) {
        KpiFamily producer = producers.get(needed.name());
        if (!wanted.contains(producer.name())) {
          throw new InvalidSettingException("cskpi.families = " + wanted + ": family '" + f.name() + "' reads "
              + needed.name() + ", which family '" + producer.name() + "' writes; add '" + producer.name()
              + "' or leave out '" + f.name() + "'");
        }
      }
    }
    Map<String, Object> settings = new LinkedHashMap<>();
    for (KpiFamily f : all) {
      Declaration d = f.declaration();
      if (wanted.contains(f.name())) {
        settings.put(f.name(), FamilySettings.read(f.name(), config.familySection(f.name()), config.segmentColumns(),
            d.settings()));
      } else {
        FamilySettings.rejectUnknownKeys(f.name(), config.familySection(f.name()), d.settings());
      }
    }
    Map<String, TableSpec> inputs = new LinkedHashMap<>();
    chosen.forEach(f -> f.declaration().inputsRead().forEach(t -> inputs.putIfAbsent(t.name(), t)));
    return new FamilyPlan(chosen, settings, List.copyOf(inputs.values()));
  }

  /** The families that need {@code table} (an input), for error messages. */
  public List<String> readersOf(TableSpec table) {
    return families.stream().filter(f -> f.declaration().inputs().contains(table)).map(KpiFamily::name).toList();
  }

  /** True when no chosen family needs {@code table}: the families that read it do without when it is absent. */
  public boolean optional(TableSpec table) {
    return readersOf(table).isEmpty();
  }

  /**
   * The registry in dependency order, ties in registry order. A family that reads a table no family writes, two
   * families writing one table, two families of one name or a cycle are errors in the code, not in the conf.
   */
  static List<KpiFamily> ordered(List<KpiFamily> registry) {
    Set<String> names = new LinkedHashSet<>();
    Map<String, String> rules = new LinkedHashMap<>();
    for (KpiFamily f : registry) {
      if (!names.add(f.name())) {
        throw new IllegalStateException("two KPI families are named '" + f.name() + "'");
      }
      if (f.name().equals(ALL) || CskpiConfig.CORE_SECTIONS.contains(f.name())) {
        throw new IllegalStateException("a KPI family may not be named '" + f.name() + "': conf uses that name");
      }
      // A rule name is the quarantine's word for one requirement: two families may not mean two things by it.
      for (var r : f.declaration().defaultRules()) {
        String other = rules.putIfAbsent(r.table() + "." + r.name(), f.name());
        if (other != null) {
          throw new IllegalStateException("row rule " + r.name() + " on table " + r.table() + " is declared by family '"
              + other + "' and by family '" + f.name() + "'; share one declaration or name them apart");
        }
      }
    }
    Map<String, KpiFamily> producers = producers(registry);
    for (KpiFamily f : registry) {
      for (ResultTable t : f.declaration().resultsRead()) {
        if (!producers.containsKey(t.name())) {
          throw new IllegalStateException("family '" + f.name() + "' reads result table " + t.name()
              + ", which no family writes");
        }
      }
    }
    List<KpiFamily> done = new ArrayList<>();
    List<KpiFamily> left = new ArrayList<>(registry);
    while (!left.isEmpty()) {
      KpiFamily next = left.stream().filter(f -> f.declaration().resultsRead().stream()
          .allMatch(t -> done.contains(producers.get(t.name())))).findFirst().orElse(null);
      if (next == null) {
        throw new IllegalStateException("KPI families read each other's results in a cycle: " + describe(left,
            producers));
      }
      done.add(next);
      left.remove(next);
    }
    return done;
  }

  private static Map<String, KpiFamily> producers(List<KpiFamily> registry) {
    Map<String, KpiFamily> producers = new LinkedHashMap<>();
    for (KpiFamily f : registry) {
      for (ResultTable t : f.declaration().writes()) {
        KpiFamily other = producers.putIfAbsent(t.name(), f);
        if (other != null || t.name().equals(NightlyPipeline.QUARANTINE.name())) {
          throw new IllegalStateException("result table " + t.name() + " is written by family '" + f.name() + "' and "
              + (other == null ? "by the pipeline" : "by family '" + other.name() + "'"));
        }
      }
    }
    return producers;
  }

  private static String describe(List<KpiFamily> left, Map<String, KpiFamily> producers) {
    List<String> edges = new ArrayList<>();
    for (KpiFamily f : left) {
      for (ResultTable t : f.declaration().resultsRead()) {
        KpiFamily p = producers.get(t.name());
        if (left.contains(p)) {
          edges.add(f.name() + " reads " + t.name() + " of " + p.name());
        }
      }
    }
    return String.join("; ", edges);
  }
}
