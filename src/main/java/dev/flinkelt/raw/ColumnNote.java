package dev.flinkelt.raw;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * What flink-elt records in a raw column's comment about the column's history, so that every later
 * start (and {@code verify}) reads the same story from the warehouse alone. A JSON object after
 * {@code flink-elt:} with:
 *
 * <ul>
 *   <li>{@code added_at}: the column was added for the change at this position; raw rows from
 *       before it hold NULL here whatever the source row holds (e.g. a default filled in without a
 *       change);
 *   <li>{@code continues} and {@code since}: the column holds source column {@code continues} from
 *       the change at {@code since} on, after a type change the raw column of that name could not
 *       follow;
 *   <li>{@code not_sent_since}: the source stopped sending this column at this position (dropped,
 *       renamed, or changed to a type that continues in another column); later rows hold NULL here;
 *   <li>{@code retyped_at}: the source changed the column's type at this position and the raw
 *       column followed with the warehouse's cast, which converted its earlier rows as the source's
 *       cast converted the source's; rows of older layouts still to come are converted the same way
 *       as they are loaded.
 * </ul>
 */
public record ColumnNote(
        long addedAt, String continues, long since, long notSentSince, long retypedAt) {
    static final String PREFIX = "flink-elt:";
    private static final ObjectMapper JSON = new ObjectMapper();
    static final ColumnNote NONE = new ColumnNote(-1, null, -1, -1, -1);

    public static ColumnNote parse(String comment) {
        if (comment == null || !comment.startsWith(PREFIX)) {
            return NONE;
        }
        try {
            JsonNode n = JSON.readTree(comment.substring(PREFIX.length()));
            return new ColumnNote(
                    n.path("added_at").asLong(-1),
                    n.hasNonNull("continues") ? n.get("continues").asText() : null,
                    n.path("since").asLong(-1),
                    n.path("not_sent_since").asLong(-1),
                    n.path("retyped_at").asLong(-1));
        } catch (JsonProcessingException e) {
            return NONE;
        }
    }

    public static ColumnNote added(long lsn) {
        return new ColumnNote(lsn, null, -1, -1, -1);
    }

    public static ColumnNote continuing(String sourceColumn, long lsn) {
        return new ColumnNote(-1, sourceColumn, lsn, -1, -1);
    }

    public ColumnNote notSentSince(long lsn) {
        return new ColumnNote(addedAt, continues, since, lsn, retypedAt);
    }

    public ColumnNote sentAgain() {
        return new ColumnNote(addedAt, continues, since, -1, retypedAt);
    }

    public ColumnNote retyped(long lsn) {
        return new ColumnNote(addedAt, continues, since, notSentSince, lsn);
    }

    public boolean dropped() {
        return notSentSince >= 0;
    }

    /** The comment text, or null when there is nothing to record. */
    public String comment() {
        ObjectNode n = JSON.createObjectNode();
        if (addedAt >= 0) {
            n.put("added_at", addedAt);
        }
        if (continues != null) {
            n.put("continues", continues).put("since", since);
        }
        if (notSentSince >= 0) {
            n.put("not_sent_since", notSentSince);
        }
        if (retypedAt >= 0) {
            n.put("retyped_at", retypedAt);
        }
        return n.isEmpty() ? null : PREFIX + n;
    }
}
