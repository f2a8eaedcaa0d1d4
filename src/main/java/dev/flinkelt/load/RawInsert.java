package dev.flinkelt.load;

import dev.flinkelt.catalog.ColumnSpec;
import dev.flinkelt.catalog.TableSchema;
import dev.flinkelt.config.Identifiers;
import dev.flinkelt.extract.ChangeEvent;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Types;
import java.util.stream.Collectors;
import org.apache.flink.connector.jdbc.JdbcStatementBuilder;

/**
 * The INSERT of one raw table. Values travel as untyped text and are cast to the column's own type by the
 * warehouse, so every type is parsed by PostgreSQL's own input function (exact, and no client-side mapping).
 */
public final class RawInsert implements JdbcStatementBuilder<ChangeEvent> {
    private static final long serialVersionUID = 1L;

    private final int columns;

    public RawInsert(TableSchema table) {
        this.columns = table.columns().size();
    }

    public static String sql(String rawSchema, TableSchema table) {
        String cols = table.columns().stream().map(c -> Identifiers.quote(c.name())).collect(Collectors.joining(", "));
        String params = table.columns().stream().map(RawInsert::param).collect(Collectors.joining(", "));
        String sep = table.columns().isEmpty() ? "" : ", ";
        return "INSERT INTO " + RawTables.qualified(rawSchema, table) + " (" + cols + sep
                + "\"_op\", \"_lsn\", \"_seq\", \"_tx_id\", \"_source_ts\") VALUES (" + params + sep
                + "?, ?, ?, ?, TIMESTAMPTZ 'epoch' + ? * INTERVAL '1 microsecond')";
    }

    /**
     * The parameter goes in as text and is converted by the type's input function. (An untyped parameter would
     * work too, but for a bytea column the driver then cannot print a failed batch, and hides the server's error.)
     */
    private static String param(ColumnSpec c) {
        if (c.binary()) {
            // text to bytea is a binary-coercible cast (it would store the hex digits), so decode explicitly
            return "CAST(decode(substr(CAST(? AS text), 3), 'hex') AS " + c.type() + ")";
        }
        return "CAST(CAST(? AS text) AS " + c.type() + ")";
    }

    @Override
    public void accept(PreparedStatement ps, ChangeEvent e) throws SQLException {
        int p = 1;
        for (int i = 0; i < columns; i++) {
            String v = i < e.values.length ? e.values[i] : null;
            if (v == null) {
                ps.setNull(p++, Types.OTHER);
            } else {
                ps.setObject(p++, v, Types.OTHER);
            }
        }
        ps.setString(p++, String.valueOf(e.op));
        ps.setLong(p++, e.lsn);
        ps.setLong(p++, e.seq);
        if (e.txId == ChangeEvent.NONE) {
            ps.setNull(p++, Types.BIGINT);
        } else {
            ps.setLong(p++, e.txId);
        }
        if (e.sourceTsMicros == ChangeEvent.NONE) {
            ps.setNull(p, Types.BIGINT);
        } else {
            ps.setLong(p, e.sourceTsMicros);
        }
    }
}
