package io.cskpi.pipeline;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import io.cskpi.family.ResultColumn;
import io.cskpi.schema.Schemas;
import org.apache.spark.sql.types.DataTypes;
import org.junit.jupiter.api.Test;

/** kpi_catalog's formula and unit, from the definitions and the naming conventions. */
class CatalogTablesTest {
  @Test
  void theFormulaIsTheDefinitionsFirstClauseWithAnOperatorThatIsNoEdgeCase() {
    assertEquals("customers_churned / customers_start",
        CatalogTables.formula("customers_churned / customers_start; null when customers_start = 0."));
    assertEquals("mrr_start + new + expansion - contraction - churned + reactivation = mrr_end",
        CatalogTables.formula("MRR of the month. mrr_start + new + expansion - contraction - churned + "
            + "reactivation = mrr_end."));
    assertNull(CatalogTables.formula("Customers whose movement is new."));
    assertNull(CatalogTables.formula("The customer's segment; null when customers_start = 0."));
  }

  @Test
  void unitsFollowTheNamingConventions() {
    assertEquals("money", CatalogTables.unit(new ResultColumn("mrr_end", Schemas.MONEY, false, "")));
    assertEquals("fraction (0-1)", CatalogTables.unit(new ResultColumn("logo_churn_rate", DataTypes.DoubleType, true, "")));
    assertEquals("ratio", CatalogTables.unit(new ResultColumn("clv_cac_ratio", DataTypes.DoubleType, true, "")));
    assertEquals("count", CatalogTables.unit(new ResultColumn("customers_end", DataTypes.LongType, false, "")));
    assertEquals("hours", CatalogTables.unit(new ResultColumn("first_response_hours_median", DataTypes.DoubleType,
        true, "")));
  }
}
