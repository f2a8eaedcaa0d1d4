package dev.flinkelt.bench.tpch;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

/**
 * The six TPC-H queries of the transform workload, each once in Flink SQL (an output table with a
 * primary key and its {@code INSERT INTO} over {@code mirror.*}) and once for PostgreSQL over the
 * source tables, with the same columns in the same order, so their answers compare row by row.
 */
public final class TpchQueries {
    /** The warehouse schema of the outputs. */
    public static final String OUTPUT_SCHEMA = "tpch_out";

    private static final List<String> NAMES =
            List.of(
                    "q03_shipping_priority",
                    "q05_local_supplier_volume",
                    "q10_returned_items",
                    "q12_shipping_modes",
                    "q14_promotion_by_month",
                    "q18_large_orders");

    private TpchQueries() {}

    /** One query: its name (= the output table's), Flink SQL file text, PostgreSQL query. */
    public record Query(String name, String flinkSql, String postgresSql) {
        /** The output table on the warehouse. */
        public String output() {
            return OUTPUT_SCHEMA + "." + name;
        }
    }

    public static List<Query> all() throws IOException {
        List<Query> out = new ArrayList<>();
        for (String n : NAMES) {
            out.add(
                    new Query(
                            n,
                            TpchData.resource("flink/" + n + ".sql"),
                            TpchData.resource("postgres/" + n + ".sql").strip()));
        }
        return out;
    }
}
