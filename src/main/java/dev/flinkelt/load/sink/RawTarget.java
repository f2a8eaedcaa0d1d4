package dev.flinkelt.load.sink;

import dev.flinkelt.catalog.TableSchema;
import dev.flinkelt.config.Identifiers;
import dev.flinkelt.load.RawTables;
import java.io.Serializable;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Collectors;

/**
 * One raw table as the sink writes it: its name, its source columns and the COPY statement that loads it. Equal
 * only to itself (the writer keys its batch by it, once per row).
 */
final class RawTarget implements Serializable {
    private static final long serialVersionUID = 1L;

    private final String rawName;
    private final String qualified;
    private final List<String> columns;
    private final int[] keyIndexes;
    private final String copySql;

    private RawTarget(String rawName, String qualified, List<String> columns, int[] keyIndexes, String copySql) {
        this.rawName = rawName;
        this.qualified = qualified;
        this.columns = columns;
        this.keyIndexes = keyIndexes;
        this.copySql = copySql;
    }

    static RawTarget of(String rawSchema, TableSchema t) {
        String qualified = RawTables.qualified(rawSchema, t);
        String cols = t.columns().stream().map(c -> Identifiers.quote(c.name()) + ", ").collect(Collectors.joining());
        String copy = "COPY " + qualified + " (" + cols + "\"_op\", \"_lsn\", \"_seq\", \"_tx_id\", \"_source_ts\") FROM STDIN";
        return new RawTarget(t.ref().rawTableName(), qualified, List.copyOf(t.columnNames()), t.keyIndexes(), copy);
    }

    String rawName() {
        return rawName;
    }

    /** The quoted, schema-qualified name. */
    String qualified() {
        return qualified;
    }

    List<String> columns() {
        return columns;
    }

    int[] keyIndexes() {
        return keyIndexes;
    }

    String copySql() {
        return copySql;
    }

    List<String> keyColumns() {
        return Arrays.stream(keyIndexes).mapToObj(columns::get).toList();
    }
}
