package io.cskpi.pipeline;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.charset.StandardCharsets;
import java.util.Optional;

/** The SQL notebooks/cskpi_tables.py reads a table's published rows with, from Python itself. */
final class NotebookQuery {
  private NotebookQuery() {}

  private static final boolean PYTHON = available();

  private static boolean available() {
    try {
      return new ProcessBuilder("python3", "--version").start().waitFor() == 0;
    } catch (Exception e) {
      System.err.println("NotebookQuery: python3 not found: the notebooks' query is not compared");
      return false;
    }
  }

  /** cskpi_tables.published_rows_sql(warehouse, table), or empty without python3. */
  static Optional<String> publishedRowsSql(String warehouse, String table) {
    if (!PYTHON) {
      return Optional.empty();
    }
    try {
      Process p = new ProcessBuilder("python3", "-c", "import sys; sys.path.insert(0, 'notebooks'); "
          + "from cskpi_tables import published_rows_sql; print(published_rows_sql(sys.argv[1], sys.argv[2]))",
          warehouse, table).redirectErrorStream(true).start();
      String sql = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
      assertEquals(0, p.waitFor(), sql);
      return Optional.of(sql);
    } catch (java.io.IOException | InterruptedException e) {
      throw new IllegalStateException(e);
    }
  }
}
