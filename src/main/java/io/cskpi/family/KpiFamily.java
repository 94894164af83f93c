package io.cskpi.family;

/**
 * A group of KPIs computed together. It declares what it reads, writes, checks and takes as settings
 * ({@link #declaration()}), and computes its results from clean inputs with pure Spark transformations. The
 * pipeline does all reading, checking, ordering, documenting and writing.
 */
public interface KpiFamily {
  Declaration declaration();

  /**
   * Every declared result table, from the declared clean inputs and the results of the families it reads.
   * Lazy where it can be (a model fit collects its compressed summary).
   */
  Results compute(Inputs in, RunContext ctx);

  default String name() {
    return declaration().name();
  }
}
