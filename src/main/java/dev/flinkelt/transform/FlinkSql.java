package dev.flinkelt.transform;

import dev.flinkelt.pg.ColumnSpec;
import dev.flinkelt.raw.RawTable;
import dev.flinkelt.transform.read.RawRowType;

import java.util.ArrayList;
import java.util.List;

/** Flink SQL text for the tables and views the transform job provides. */
final class FlinkSql {
    /** The job's own Flink database: the one raw-rows table and the one mirror sink. */
    static final String DB = "flink_elt";

    static final String RAW_ROWS = id(DB) + ".`raw_rows`";
    static final String MIRRORS = id(DB) + ".`mirrors`";

    private FlinkSql() {}

    static String id(String name) {
        return "`" + name.replace("`", "``") + "`";
    }

    static String literal(String text) {
        return "'" + text.replace("'", "''") + "'";
    }

    static String rawRowsTable() {
        return "CREATE TABLE "
                + RAW_ROWS
                + " ("
                + RawRowType.COLUMNS
                + ") WITH ('connector' = '"
                + RawTableFactory.IDENTIFIER
                + "')";
    }

    static String mirrorsTable() {
        return "CREATE TABLE "
                + MIRRORS
                + " ("
                + RawRowType.COLUMNS
                + ") WITH ('connector' = '"
                + MirrorTableFactory.IDENTIFIER
                + "')";
    }

    /** Every mirror, current and future, from one statement: the sink finds each row's table. */
    static String mirrorsInsert() {
        return "INSERT INTO " + MIRRORS + " SELECT * FROM " + RAW_ROWS;
    }

    /**
     * {@code raw.<S>__<T>}: the raw table's rows with Flink types. A value Flink's type cannot hold
     * (infinity, a BC date, NaN in a DECIMAL) is NULL here rather than a failed job; the mirror
     * tables keep it exactly.
     */
    static String typedRawView(RawTable t, String rawDb) {
        return "CREATE VIEW "
                + flinkName(t, rawDb)
                + " AS SELECT "
                + (t.source().columns().isEmpty() ? "" : typedColumns(t) + ", ")
                + "`_op`, `_lsn`, `_seq`, `_tx_id`, CAST(`_source_ts` AS TIMESTAMP(6)) AS `_source_ts`,"
                + " CAST(`_loaded_at` AS TIMESTAMP(6)) AS `_loaded_at` FROM "
                + RAW_ROWS
                + " WHERE `raw_table` = "
                + literal(t.rawName());
    }

    /** The table's columns, each from its place in {@code _values} with its Flink type. */
    private static String typedColumns(RawTable t) {
        List<ColumnSpec> cols = t.source().columns();
        List<String> select = new ArrayList<>();
        for (int i = 0; i < cols.size(); i++) {
            select.add(typed(cols.get(i), "`_values`[" + (i + 1) + "]"));
        }
        return String.join(", ", select);
    }

    private static String typed(ColumnSpec c, String value) {
        String type = FlinkTypes.typed(c);
        if (FlinkTypes.isTimestamptz(c)) {
            value =
                    "REGEXP_REPLACE("
                            + value
                            + ", '\\+00$', '')"; // a UTC session's text: drop the zone Flink's CAST
            // refuses
        }
        if (FlinkTypes.isBlankPadded(c)) {
            value = "TRIM(TRAILING ' ' FROM " + value + ")";
        }
        return (type.equals("STRING") ? value : "TRY_CAST(" + value + " AS " + type + ")")
                + " AS "
                + id(c.name());
    }

    /**
     * {@code mirror.<S>__<T>}: current state, the newest version of each key by {@code (_lsn,
     * _seq)}, deletes removed, typed. The ranking keeps the raw row's whole {@code _values} and
     * ranks by its key text ({@code _key}), so no query's projection reaches into it: every query
     * that reads the view shares one ranking of the table (the planner reuses it), where typed
     * columns gave each query its own copy of the table's versions. TRUNCATE is not applied here
     * (the mirror tables apply it).
     */
    static String mirrorView(RawTable t, String mirrorDb) {
        return "CREATE VIEW "
                + flinkName(t, mirrorDb)
                + " AS SELECT "
                + typedColumns(t)
                + " FROM (SELECT `_op`, `_values`, ROW_NUMBER() OVER (PARTITION BY `_key`"
                + " ORDER BY `_lsn` DESC, `_seq` DESC) AS `_rn` FROM "
                + RAW_ROWS
                + " WHERE `raw_table` = "
                + literal(t.rawName())
                + " AND `_op` <> 't') WHERE `_rn` = 1 AND `_op` <> 'd'";
    }

    /** Flink catalog name of raw table {@code t} in database {@code db}, quoted with backticks. */
    private static String flinkName(RawTable t, String db) {
        return "`" + db.replace("`", "``") + "`.`" + t.rawName().replace("`", "``") + "`";
    }
}
