package dev.flinkelt.raw;

import dev.flinkelt.pg.LiveColumn;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.List;
import java.util.Set;

/**
 * A raw table's source columns in position order (metadata columns left out): what mapped values
 * index into.
 */
public final class RawColumns {
    /**
     * The columns every raw table adds after the source's (meanings in the README); a source column
     * must not use them.
     */
    public static final Set<String> METADATA =
            Set.of("_op", "_lsn", "_seq", "_tx_id", "_source_ts", "_loaded_at", "_load_xid");

    private RawColumns() {}

    public static List<String> of(Connection warehouse, String quotedRawTable) throws SQLException {
        return LiveColumn.read(warehouse, quotedRawTable).stream()
                .map(LiveColumn::name)
                .filter(n -> !RawColumns.METADATA.contains(n))
                .toList();
    }
}
