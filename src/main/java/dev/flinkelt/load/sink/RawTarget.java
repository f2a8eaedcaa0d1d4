package dev.flinkelt.load.sink;

import dev.flinkelt.catalog.TableSchema;
import dev.flinkelt.config.Identifiers;
import dev.flinkelt.load.RawTables;
import java.io.Serializable;
import java.util.List;
import java.util.stream.Collectors;

/** One raw table as the sink writes it: its name, its source columns and the COPY statement that loads it. */
record RawTarget(String rawName, String qualified, List<String> columns, int[] keyIndexes, String copySql) implements Serializable {

    static RawTarget of(String rawSchema, TableSchema t) {
        String qualified = RawTables.qualified(rawSchema, t);
        String cols = t.columns().stream().map(c -> Identifiers.quote(c.name()) + ", ").collect(Collectors.joining());
        String copy = "COPY " + qualified + " (" + cols + "\"_op\", \"_lsn\", \"_seq\", \"_tx_id\", \"_source_ts\") FROM STDIN";
        return new RawTarget(t.ref().rawTableName(), qualified, t.columnNames(), t.keyIndexes(), copy);
    }

    List<String> keyColumns() {
        return java.util.Arrays.stream(keyIndexes).mapToObj(columns::get).toList();
    }
}
