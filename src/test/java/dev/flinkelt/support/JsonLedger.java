package dev.flinkelt.support;

import dev.flinkelt.raw.RawColumns;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.HashMap;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Collectors;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The exact ledger of a table whose columns change while it streams: each expected raw row is the
 * source row as jsonb without NULLs at the time of the change (so a column added later or dropped
 * since compares as absent), and each raw row the same over its source columns, with continuation
 * columns ({@code qty__text}) read under the source name they continue. Deletes compare on the key.
 * Besides the multiset, the current state per key derived from raw (last row by {@code _lsn, _seq})
 * must be the last change expected for the key: the version order per key is right. (Not the
 * source's current rows: a column added with a default shows the default in rows no change has
 * touched since, while their raw versions, written before the column existed, rightly lack it.)
 */
public final class JsonLedger {
    private static final String METADATA =
            RawColumns.METADATA.stream().map(c -> "'" + c + "'").collect(Collectors.joining(", "));
    private final String table;
    private final String key;
    private final Map<String, String> continuations = new HashMap<>();
    private final Map<String, Long> expected = new HashMap<>();

    /** The last expected version per key ({@code ""} after a delete). */
    private final Map<String, String> last = new TreeMap<>();

    public JsonLedger(String table, String key) {
        this.table = table;
        this.key = key;
    }

    /**
     * Raw column {@code rawColumn} holds source column {@code source} (a type change the raw column
     * could not follow).
     */
    public JsonLedger continues(String rawColumn, String source) {
        continuations.put(rawColumn, source);
        return this;
    }

    /**
     * The raw column {@code column} follows the source's type change to {@code type} with the
     * warehouse's cast: every version expected so far converts as the source's rows did.
     */
    public void retype(Connection src, String column, String type) throws SQLException {
        Map<String, Long> converted = new HashMap<>();
        for (Map.Entry<String, Long> e : expected.entrySet()) {
            String k = e.getKey();
            int bar = k.indexOf('|', k.indexOf('|') + 1);
            converted.merge(
                    k.substring(0, bar + 1) + convert(src, k.substring(bar + 1), column, type),
                    e.getValue(),
                    Long::sum);
        }
        expected.clear();
        expected.putAll(converted);
        for (Map.Entry<String, String> e : last.entrySet()) {
            e.setValue(convert(src, e.getValue(), column, type));
        }
    }

    private static String convert(Connection src, String json, String column, String type)
            throws SQLException {
        if (json.isEmpty()) {
            return json;
        }
        try (var ps =
                src.prepareStatement(
                        "SELECT (CASE WHEN jsonb_exists(j, ?) THEN jsonb_set(j, ARRAY[?], to_jsonb((j ->> ?)::"
                                + type
                                + ")) ELSE j END)::text FROM (SELECT ?::jsonb AS j) x")) {
            ps.setString(1, column);
            ps.setString(2, column);
            ps.setString(3, column);
            ps.setString(4, json);
            try (var rs = ps.executeQuery()) {
                rs.next();
                return rs.getString(1);
            }
        }
    }

    public void expectSnapshot(Connection src) throws SQLException {
        expect(src, "r", "true");
    }

    /** The current version of the rows matching {@code where}, as changes with {@code op}. */
    public void expect(Connection src, String op, String where) throws SQLException {
        for (String r :
                TestDatabases.rows(
                        src,
                        "SELECT "
                                + key
                                + "::text || '|"
                                + op
                                + "|' || jsonb_strip_nulls(to_jsonb(t))::text FROM "
                                + table
                                + " t WHERE "
                                + where)) {
            expected.merge(r, 1L, Long::sum);
            int bar = r.indexOf('|');
            last.put(r.substring(0, bar), r.substring(bar + 3));
        }
    }

    /** How many raw rows the table should hold: every version expected so far. */
    public long rows() {
        return expected.values().stream().mapToLong(Long::longValue).sum();
    }

    public void expectDeletes(String keyValues) {
        for (String k : keyValues.split(",")) {
            expected.merge(k.trim() + "|d|", 1L, Long::sum);
            last.put(k.trim(), "");
        }
    }

    private String rawJson(String alias) {
        String j = "(jsonb_strip_nulls(to_jsonb(" + alias + ")) - ARRAY[" + METADATA + "])";
        for (var c : continuations.entrySet()) {
            j =
                    "(("
                            + j
                            + " - '"
                            + c.getKey()
                            + "') || CASE WHEN "
                            + j
                            + " ? '"
                            + c.getKey()
                            + "' THEN jsonb_build_object('"
                            + c.getValue()
                            + "', "
                            + j
                            + " -> '"
                            + c.getKey()
                            + "') ELSE '{}' END)";
        }
        return j;
    }

    private String raw() {
        return "raw.\"" + table.replace(".", "__") + "\"";
    }

    public Map<String, Long> actual(Connection dst) throws SQLException {
        Map<String, Long> out = new HashMap<>();
        for (String r :
                TestDatabases.rows(
                        dst,
                        "SELECT "
                                + key
                                + "::text || '|' || _op || '|' || CASE WHEN _op = 'd' THEN '' ELSE "
                                + rawJson("r")
                                + "::text END FROM "
                                + raw()
                                + " r")) {
            out.merge(r, 1L, Long::sum);
        }
        return out;
    }

    public void assertRawMatches(Connection dst) throws SQLException {
        Map<String, Long> actual = actual(dst);
        Map<String, Long> missing = new TreeMap<>();
        Map<String, Long> extra = new TreeMap<>();
        expected.forEach(
                (k, n) -> {
                    if (n > actual.getOrDefault(k, 0L)) {
                        missing.put(k, n - actual.getOrDefault(k, 0L));
                    }
                });
        actual.forEach(
                (k, n) -> {
                    if (n > expected.getOrDefault(k, 0L)) {
                        extra.put(k, n - expected.getOrDefault(k, 0L));
                    }
                });
        // both at once: an extra row often explains a missing one
        assertThat(missing.isEmpty() && extra.isEmpty())
                .as(
                        "raw rows of %s: expected but missing %s; extra or duplicated %s",
                        table, missing, extra)
                .isTrue();
        Map<String, String> current = new TreeMap<>();
        for (String r :
                TestDatabases.rows(
                        dst,
                        "SELECT "
                                + key
                                + "::text || '|' || CASE WHEN _op = 'd' THEN '' ELSE "
                                + rawJson("r")
                                + "::text END FROM (SELECT DISTINCT ON ("
                                + key
                                + ") * FROM "
                                + raw()
                                + " ORDER BY "
                                + key
                                + ", _lsn DESC, _seq DESC) r")) {
            int bar = r.indexOf('|');
            current.put(r.substring(0, bar), r.substring(bar + 1));
        }
        assertThat(current)
                .as(
                        "last version per key of %s in raw (by _lsn, _seq) vs the last change made",
                        table)
                .isEqualTo(last);
    }
}
