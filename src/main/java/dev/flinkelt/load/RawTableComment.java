package dev.flinkelt.load;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.flinkelt.catalog.TableSchema;
import dev.flinkelt.config.TableRef;
import java.util.ArrayList;
import java.util.List;

/**
 * The comment flink-elt puts on each raw table: its source table and key, so that the transform job needs only
 * the warehouse. Form: {@code flink-elt:{"schema":"public","table":"orders","key":["id"]}}.
 */
public final class RawTableComment {
    static final String PREFIX = "flink-elt:";
    private static final ObjectMapper JSON = new ObjectMapper();

    private RawTableComment() {}

    public record Parsed(TableRef source, List<String> key) {}

    public static String of(TableSchema t) {
        ObjectNode n = JSON.createObjectNode().put("schema", t.ref().schema()).put("table", t.ref().table());
        t.keyColumns().forEach(n.putArray("key")::add);
        return PREFIX + n;
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
            return new Parsed(new TableRef(n.get("schema").asText(), n.get("table").asText()), key);
        } catch (JsonProcessingException | NullPointerException e) {
            return null;
        }
    }
}
