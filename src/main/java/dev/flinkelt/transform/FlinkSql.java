package dev.flinkelt.transform;

import dev.flinkelt.catalog.ColumnSpec;
import java.util.List;
import java.util.stream.Collectors;

/** Flink SQL text for the tables and views the transform job provides. */
final class FlinkSql {
    static final String TEXT_DB = "elt_raw_text";
    static final String MIRROR_SINK_DB = "elt_mirror_sink";

    private FlinkSql() {}

    static String id(String name) {
        return "`" + name.replace("`", "``") + "`";
    }

    static String textTable(RawTable t) {
        String cols = t.source().columns().stream().map(c -> id(c.name()) + " STRING").collect(Collectors.joining(", "));
        return "CREATE TABLE " + t.flinkName(TEXT_DB) + " (" + cols + (cols.isEmpty() ? "" : ", ")
                + "`_op` STRING, `_lsn` BIGINT, `_seq` BIGINT, `_tx_id` BIGINT, `_source_ts` STRING, `_loaded_at` STRING)"
                + " WITH ('connector' = '" + RawTextTableFactory.IDENTIFIER + "', 'raw-table' = '" + t.rawName().replace("'", "''") + "')";
    }

    static String typedRawView(RawTable t, String rawDb) {
        String cols = t.source().columns().stream().map(FlinkSql::typed).collect(Collectors.joining(", "));
        return "CREATE VIEW " + t.flinkName(rawDb) + " AS SELECT " + cols + (cols.isEmpty() ? "" : ", ")
                + "`_op`, `_lsn`, `_seq`, `_tx_id`, CAST(`_source_ts` AS TIMESTAMP(6)) AS `_source_ts`,"
                + " CAST(`_loaded_at` AS TIMESTAMP(6)) AS `_loaded_at` FROM " + t.flinkName(TEXT_DB);
    }

    private static String typed(ColumnSpec c) {
        String type = FlinkTypes.typed(c);
        return type.equals("STRING") ? id(c.name()) : "CAST(" + id(c.name()) + " AS " + type + ") AS " + id(c.name());
    }

    /** The latest version of each key by (_lsn, _seq); deleted keys removed, or kept and flagged. */
    static String latest(RawTable t, String from, List<String> columns, boolean softDeletes) {
        String key = t.source().keyColumns().stream().map(FlinkSql::id).collect(Collectors.joining(", "));
        String cols = columns.stream().map(FlinkSql::id).collect(Collectors.joining(", "));
        String deleted = softDeletes ? ", `_op` = 'd' AS `_deleted`, CASE WHEN `_op` = 'd' THEN `_source_ts` END AS `_deleted_at`" : "";
        return "SELECT " + cols + deleted + " FROM (SELECT *, ROW_NUMBER() OVER (PARTITION BY " + key
                + " ORDER BY `_lsn` DESC, `_seq` DESC) AS `_rn` FROM " + from + ") WHERE `_rn` = 1" + (softDeletes ? "" : " AND `_op` <> 'd'");
    }

    /** What user SQL sees as {@code mirror.<S>__<T>}: current state, deleted keys gone even under soft-deletes (so aggregates stay right). */
    static String mirrorView(RawTable t, String rawDb, String mirrorDb) {
        return "CREATE VIEW " + t.flinkName(mirrorDb) + " AS " + latest(t, t.flinkName(rawDb), t.source().columnNames(), false);
    }

    static String mirrorSink(RawTable t, String mirrorSchema, boolean softDeletes) {
        String cols = t.source().columns().stream().map(c -> id(c.name()) + " STRING").collect(Collectors.joining(", "));
        String key = t.source().keyColumns().stream().map(FlinkSql::id).collect(Collectors.joining(", "));
        String table = "\"" + mirrorSchema.replace("\"", "\"\"") + "\".\"" + t.rawName().replace("\"", "\"\"") + "\"";
        return "CREATE TABLE " + t.flinkName(MIRROR_SINK_DB) + " (" + cols + (softDeletes ? ", `_deleted` BOOLEAN, `_deleted_at` STRING" : "")
                + ", PRIMARY KEY (" + key + ") NOT ENFORCED) WITH ('connector' = '" + WarehouseTableFactory.IDENTIFIER
                + "', 'table-name' = '" + table.replace("'", "''") + "', 'create' = 'false')";
    }

    static String mirrorInsert(RawTable t, boolean softDeletes) {
        return "INSERT INTO " + t.flinkName(MIRROR_SINK_DB) + " " + latest(t, t.flinkName(TEXT_DB), t.source().columnNames(), softDeletes);
    }
}
