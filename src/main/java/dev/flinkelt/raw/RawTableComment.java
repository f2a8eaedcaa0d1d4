package dev.flinkelt.raw;

import dev.flinkelt.config.Identifiers;
import dev.flinkelt.config.TableRef;
import dev.flinkelt.pg.Connections;
import dev.flinkelt.pg.TableSchema;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;

/**
 * The comment flink-elt puts on each raw table: its source table and key, so that the transform job
 * needs only the warehouse. Form: {@code
 * flink-elt:{"schema":"public","table":"orders","key":["id"]}}, plus {@code "dropped_before_lsn"}
 * once the source table is gone.
 */
public final class RawTableComment {
    static final String PREFIX = "flink-elt:";
    private static final ObjectMapper JSON = new ObjectMapper();

    private RawTableComment() {}

    /**
     * {@code droppedBeforeLsn}: -1, or the source position by which the source table was found
     * gone.
     */
    public record Parsed(TableRef source, List<String> key, long droppedBeforeLsn) {}

    public static String of(TableSchema t) {
        ObjectNode n =
                JSON.createObjectNode()
                        .put("schema", t.ref().schema())
                        .put("table", t.ref().table());
        t.keyColumns().forEach(n.putArray("key")::add);
        return PREFIX + n;
    }

    /**
     * Records in the raw table's comment that its source table was found gone by source position
     * {@code lsn}.
     */
    public static void markDropped(Connection conn, String rawSchema, TableRef source, long lsn)
            throws SQLException {
        String raw = RawTables.qualified(rawSchema, source);
        String comment = text(conn, raw);
        if (!comment.startsWith(PREFIX)) {
            return;
        }
        try {
            ObjectNode n = (ObjectNode) JSON.readTree(comment.substring(PREFIX.length()));
            n.put("dropped_before_lsn", lsn);
            try (Statement st = conn.createStatement()) {
                st.execute("COMMENT ON TABLE " + raw + " IS " + Identifiers.literal(PREFIX + n));
            }
        } catch (JsonProcessingException e) {
            throw new SQLException(
                    "the comment of raw table "
                            + raw
                            + " is not flink-elt's: "
                            + e.getOriginalMessage());
        }
    }

    /**
     * The comment of raw table {@code qualifiedRaw} parsed, or null when it is missing or not
     * flink-elt's.
     */
    public static Parsed read(Connection conn, String qualifiedRaw) throws SQLException {
        return parse(text(conn, qualifiedRaw));
    }

    /** The table's comment as stored ("" when none). */
    public static String text(Connection conn, String qualifiedRaw) throws SQLException {
        return Connections.rows(
                        conn,
                        "SELECT coalesce(obj_description(to_regclass("
                                + Identifiers.literal(qualifiedRaw)
                                + "), 'pg_class'), '')")
                .get(0);
    }

    /** The parsed comment, or null when the table was not made by flink-elt. */
    public static Parsed parse(String comment) {
        if (comment == null || !comment.startsWith(PREFIX)) {
            return null;
        }
        try {
            JsonNode n = JSON.readTree(comment.substring(PREFIX.length()));
            List<String> key = new ArrayList<>();
            n.get("key").forEach(k -> key.add(k.asText()));
            return new Parsed(
                    new TableRef(n.get("schema").asText(), n.get("table").asText()),
                    key,
                    n.path("dropped_before_lsn").asLong(-1));
        } catch (JsonProcessingException | NullPointerException e) {
            return null;
        }
    }
}
