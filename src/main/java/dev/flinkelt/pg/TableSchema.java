package dev.flinkelt.pg;

import dev.flinkelt.config.TableRef;

import java.io.Serializable;
import java.util.List;

/**
 * What the pipeline knows of one captured table, read from the source catalog at start.
 *
 * @param keyColumns the primary key, the configured {@code key-columns}, or the columns of the
 *     replica identity index; empty for a table without any: its rows are a multiset
 * @param insertOnly the table has no replica identity, so only its inserts and truncates can be
 *     published (PostgreSQL refuses UPDATE and DELETE on a table that publishes them without one)
 */
public record TableSchema(
        TableRef ref,
        List<ColumnSpec> columns,
        List<String> keyColumns,
        boolean replicaIdentityFull,
        boolean insertOnly)
        implements Serializable {

    public TableSchema(
            TableRef ref,
            List<ColumnSpec> columns,
            List<String> keyColumns,
            boolean replicaIdentityFull) {
        this(ref, columns, keyColumns, replicaIdentityFull, false);
    }

    /** No key: rows are compared as a multiset, and keyed as a whole. */
    public boolean keyless() {
        return keyColumns.isEmpty();
    }

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
