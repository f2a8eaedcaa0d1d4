package dev.flinkelt.raw;

import dev.flinkelt.pg.LiveColumn;

import dev.flinkelt.pg.SourceCatalog;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.List;

/** A raw table's source columns in position order (metadata columns left out): what mapped values index into. */
public final class RawColumns {
    private RawColumns() {}

    public static List<String> of(Connection warehouse, String quotedRawTable) throws SQLException {
        return LiveColumn.read(warehouse, quotedRawTable).stream().map(LiveColumn::name)
                .filter(n -> !SourceCatalog.METADATA_COLUMNS.contains(n)).toList();
    }
}
