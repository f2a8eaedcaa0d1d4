package dev.flinkelt.load.sink;

import dev.flinkelt.config.Identifiers;
import dev.flinkelt.extract.ChangeEvent;
import dev.flinkelt.pg.SqlErrors;
import dev.flinkelt.raw.RawTables;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Types;
import java.util.List;

/**
 * Writes a row the warehouse refused to {@code <raw-schema>._rejected}, in the sink's current
 * transaction: the row is then recorded exactly when the rows around it are, once, and its values
 * stay in the warehouse only.
 */
final class Quarantine {
    static final String TABLE = RawTables.REJECTED;
    private static final ObjectMapper JSON = new ObjectMapper();

    private final String insert;
    private final String name;

    Quarantine(String rawSchema) {
        name = rawSchema + "." + TABLE;
        insert =
                "INSERT INTO "
                        + Identifiers.quote(rawSchema)
                        + "."
                        + Identifiers.quote(TABLE)
                        + " (\"raw_table\", \"key\", \"_op\", \"_lsn\", \"_seq\", \"_tx_id\", \"_source_ts\", \"sqlstate\", \"error\", \"row\")"
                        + " VALUES (?, CAST(? AS jsonb), ?, ?, ?, ?, TIMESTAMPTZ 'epoch' + ? * INTERVAL '1 microsecond', ?, ?, CAST(? AS jsonb))";
    }

    /** The quarantine table, for messages. */
    String name() {
        return name;
    }

    void write(Connection conn, RawTarget t, ChangeEvent e, SQLException error)
            throws SQLException {
        e.decodeCopyText();
        try (PreparedStatement ps = conn.prepareStatement(insert)) {
            ps.setString(1, t.rawName());
            ps.setString(2, json(t.columns(), t.keyIndexes(), e.values));
            ps.setString(3, String.valueOf(e.op));
            ps.setLong(4, e.lsn);
            ps.setLong(5, e.seq);
            setLongOrNull(ps, 6, e.txId);
            setLongOrNull(ps, 7, e.sourceTsMicros);
            ps.setString(8, String.valueOf(error.getSQLState()));
            ps.setString(9, SqlErrors.serverMessage(error));
            ps.setString(10, json(t.columns(), null, e.values));
            ps.executeUpdate();
        }
    }

    private static void setLongOrNull(PreparedStatement ps, int i, long v) throws SQLException {
        if (v == ChangeEvent.NONE) {
            ps.setNull(i, Types.BIGINT);
        } else {
            ps.setLong(i, v);
        }
    }

    /** The columns at {@code indexes} (null: all) as a jsonb object of their text values. */
    static String json(List<String> columns, int[] indexes, String[] values) {
        ObjectNode n = JSON.createObjectNode();
        int count = indexes == null ? columns.size() : indexes.length;
        for (int k = 0; k < count; k++) {
            int i = indexes == null ? k : indexes[k];
            n.put(columns.get(i), i < values.length ? values[i] : null);
        }
        return n.toString();
    }
}
