package dev.flinkelt.pg;

import dev.flinkelt.config.TableRef;

import java.io.Serializable;
import java.util.List;

/** What the pipeline knows of one captured table, read from the source catalog at start. */
public record TableSchema(
        TableRef ref,
        List<ColumnSpec> columns,
        List<String> keyColumns,
        boolean replicaIdentityFull)
        implements Serializable {

    public int columnIndex(String name) {
        for (int i = 0; i < columns.size(); i++) {
            if (columns.get(i).name().equals(name)) {
                return i;
            }
        }
        return -1;
    }

    /** Positions of the key columns in {@link #columns()}. */
    public int[] keyIndexes() {
        return keyColumns.stream().mapToInt(this::columnIndex).toArray();
    }

    public List<String> columnNames() {
        return columns.stream().map(ColumnSpec::name).toList();
    }
}
