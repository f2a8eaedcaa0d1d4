package dev.flinkelt.support;

import dev.flinkelt.config.Identifiers;
import dev.flinkelt.config.TableRef;
import dev.flinkelt.pg.Connections;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * An independent count of what the source changed: PostgreSQL's own test_decoding plugin on a slot
 * of its own, read once at the end. Per table (partitions counted as their partitioned table), the
 * number of inserts, updates, deletes and truncates it decoded.
 */
public final class ReferenceChanges {
    private static final Pattern CHANGE =
            Pattern.compile("^table (.*?): (INSERT|UPDATE|DELETE|TRUNCATE):", Pattern.DOTALL);

    private final String slot;

    /** Makes the slot: it sees every change committed from now on. */
    public ReferenceChanges(Connection src, String slot) throws SQLException {
        this.slot = slot;
        Connections.rows(
                src,
                "SELECT pg_create_logical_replication_slot("
                        + Identifiers.literal(slot)
                        + ", 'test_decoding')");
    }

    /** Per table ({@link TableRef#dotted}): counts of I, U, D and T, in that order. */
    public Map<String, long[]> counts(Connection src) throws SQLException {
        Map<String, String> roots = new HashMap<>();
        for (String r :
                Connections.rows(
                        src,
                        "SELECT quote_ident(n.nspname) || '.' || quote_ident(c.relname), rn.nspname, r.relname"
                                + " FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace"
                                + " JOIN pg_class r ON r.oid = pg_partition_root(c.oid)"
                                + " JOIN pg_namespace rn ON rn.oid = r.relnamespace WHERE c.relispartition")) {
            String[] f = r.split("\\|", 3);
            roots.put(
                    new TableRef(
                                    Identifiers.splitQualified(f[0])[0],
                                    Identifiers.splitQualified(f[0])[1])
                            .dotted(),
                    new TableRef(f[1], f[2]).dotted());
        }
        // decoding stops at the WAL flushed so far, and the test servers commit asynchronously: a
        // mark committed now is read last, after every change committed before it
        String mark = "reference-end-" + System.nanoTime();
        TestDatabases.exec(
                src, "SELECT pg_logical_emit_message(true, " + Identifiers.literal(mark) + ", '')");
        Map<String, long[]> out = new TreeMap<>();
        long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(1);
        boolean marked = false;
        while (!marked) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("test_decoding did not reach the end mark within 1 min");
            }
            for (String line :
                    Connections.rows(
                            src,
                            "SELECT data FROM pg_logical_slot_get_changes("
                                    + Identifiers.literal(slot)
                                    + ", NULL, NULL)")) {
                marked |= line.contains("prefix: " + mark);
                Matcher m = CHANGE.matcher(line);
                if (!m.find()) {
                    continue; // BEGIN, COMMIT, messages
                }
                int op = "IUDT".indexOf(m.group(2).charAt(0));
                for (String name : names(m.group(1))) {
                    String[] parts = Identifiers.splitQualified(name);
                    String table = new TableRef(parts[0], parts[1]).dotted();
                    table = roots.getOrDefault(table, table);
                    out.computeIfAbsent(table, t -> new long[4])[op]++;
                }
            }
        }
        return out;
    }

    /** The tables of a TRUNCATE line, split at commas outside quotes. */
    private static List<String> names(String text) {
        List<String> out = new ArrayList<>();
        StringBuilder cur = new StringBuilder();
        boolean quoted = false;
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c == '"') {
                quoted = !quoted;
            }
            if (c == ',' && !quoted) {
                out.add(cur.toString().trim());
                cur.setLength(0);
            } else {
                cur.append(c);
            }
        }
        out.add(cur.toString().trim());
        return out;
    }

    public void drop(Connection src) throws SQLException {
        Connections.rows(src, "SELECT pg_drop_replication_slot(" + Identifiers.literal(slot) + ")");
    }
}
