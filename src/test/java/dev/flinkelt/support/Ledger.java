package dev.flinkelt.support;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The expected multiset of raw rows {@code (key, _op, md5(values))} of one table, built from the
 * source as changes are made, and the exact comparison with the raw table (nothing lost, nothing
 * twice).
 */
public final class Ledger {
    private final String table;
    private final String key;
    private final String columns;
    private final Map<String, Long> expected = new HashMap<>();

    public Ledger(String table, String key, String columns) {
        this.table = table;
        this.key = key;
        this.columns = columns;
    }

    private String entry(String op) {
        return "SELECT "
                + key
                + "::text || '|' || '"
                + op
                + "' || '|' || md5(ROW("
                + columns
                + ")::text) FROM ";
    }

    /** Every row now in the source, as a snapshot read. */
    public void expectSnapshot(Connection src) throws SQLException {
        add(TestDatabases.rows(src, entry("r") + table));
    }

    /** The current version of the rows matching {@code where}, as changes with {@code op}. */
    public void expectChanges(Connection src, String op, String where) throws SQLException {
        add(TestDatabases.rows(src, entry(op) + table + " WHERE " + where));
    }

    public void expectDeletes(long fromKey, long toKey) {
        for (long k = fromKey; k <= toKey; k++) {
            expected.merge(k + "|d|", 1L, Long::sum);
        }
    }

    private void add(List<String> rows) {
        rows.forEach(r -> expected.merge(r, 1L, Long::sum));
    }

    public Map<String, Long> expected() {
        return expected;
    }

    /**
     * The raw table's multiset; deletes compare on the key only (their other columns depend on
     * REPLICA IDENTITY).
     */
    public Map<String, Long> actual(Connection dst) throws SQLException {
        return actual(dst, "");
    }

    private Map<String, Long> actual(Connection dst, String where) throws SQLException {
        String raw = "raw." + '"' + table.replace(".", "__") + '"';
        Map<String, Long> out = new HashMap<>();
        for (String r :
                TestDatabases.rows(
                        dst,
                        "SELECT "
                                + key
                                + "::text || '|' || _op || '|' || CASE WHEN _op = 'd' THEN '' ELSE md5(ROW("
                                + columns
                                + ")::text) END FROM "
                                + raw
                                + where)) {
            out.merge(r, 1L, Long::sum);
        }
        return out;
    }

    private static Map<String, Long> first(Map<String, Long> m) {
        Map<String, Long> out = new TreeMap<>();
        m.entrySet().stream().limit(10).forEach(e -> out.put(e.getKey(), e.getValue()));
        return out;
    }

    public void assertRawMatches(Connection dst) throws SQLException {
        assertMatches(expected, actual(dst));
    }

    /**
     * As {@link #assertRawMatches}, for the streamed changes alone: for a table changed while its
     * snapshot was read, whose snapshot rows show some of those changes already.
     */
    public void assertChangesMatch(Connection dst) throws SQLException {
        Map<String, Long> changes = new HashMap<>(expected);
        changes.keySet().removeIf(k -> k.contains("|r|"));
        assertMatches(changes, actual(dst, " WHERE _op <> 'r'"));
    }

    private static void assertMatches(Map<String, Long> expected, Map<String, Long> actual) {
        Map<String, Long> missing = new TreeMap<>();
        Map<String, Long> extra = new TreeMap<>();
        expected.forEach(
                (k, n) -> {
                    long diff = n - actual.getOrDefault(k, 0L);
                    if (diff > 0) {
                        missing.put(k, diff);
                    }
                });
        actual.forEach(
                (k, n) -> {
                    long diff = n - expected.getOrDefault(k, 0L);
                    if (diff > 0) {
                        extra.put(k, diff);
                    }
                });
        assertThat(first(missing))
                .as(
                        "expected raw rows that are missing (%d in all, first ones shown)",
                        missing.size())
                .isEmpty();
        assertThat(first(extra))
                .as(
                        "raw rows that are extra or duplicated (%d in all, first ones shown)",
                        extra.size())
                .isEmpty();
        assertThat(actual.values().stream().mapToLong(Long::longValue).sum())
                .isEqualTo(expected.values().stream().mapToLong(Long::longValue).sum());
    }
}
