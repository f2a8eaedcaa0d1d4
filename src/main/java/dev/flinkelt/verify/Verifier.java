package dev.flinkelt.verify;

import dev.flinkelt.config.Identifiers;
import dev.flinkelt.config.PipelineConfig;
import dev.flinkelt.config.TableRef;
import dev.flinkelt.pg.Connections;
import dev.flinkelt.raw.PausedTables;
import dev.flinkelt.raw.RawHistory;
import dev.flinkelt.raw.RawNames;
import dev.flinkelt.raw.RawTableComment;
import dev.flinkelt.raw.RawTables;

import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Collectors;

/**
 * Reconciles each source table with the current state derived from its raw table (latest version of
 * each key by {@code (_lsn, _seq)}, deletes removed). Both sides are read as {@code (key text, md5
 * per column)} sorted by the key text in the "C" collation, so the comparison streams with constant
 * memory. Columns are matched by name through the raw table's history ({@link RawHistory}):
 * widened, continued, added and dropped columns compare as the source has them now. A table without
 * a key is compared as a multiset: each distinct row with its count, on the raw side the rows after
 * its last {@code t} row in commit order ({@code _lsn}, {@code _seq}), {@code d} rows counting -1.
 */
public final class Verifier {
    private static final int SAMPLES = 5;

    private final PipelineConfig config;

    public Verifier(PipelineConfig config) {
        this.config = config;
    }

    public List<TableReport> verify(List<TableRef> tables) throws SQLException {
        List<TableReport> reports = new ArrayList<>();
        try (Connection src = Connections.open(config.source, "source");
                Connection dst = Connections.open(config.target, "target")) {
            session(src);
            session(dst);
            for (TableRef t : tables) {
                try {
                    reports.add(compare(t, src, dst));
                } catch (SQLException e) {
                    // catalog and reading errors only (no row is written): they name objects, not
                    // values
                    reports.add(
                            TableReport.failed(
                                    t.dotted(),
                                    "SQLSTATE "
                                            + e.getSQLState()
                                            + ": "
                                            + firstLine(e.getMessage())));
                }
                src.rollback();
                dst.rollback();
            }
        }
        return reports;
    }

    private static String firstLine(String message) {
        return message == null ? "" : message.lines().findFirst().orElse("");
    }

    /** One line per raw table with quarantined rows: how many, and the errors' SQLSTATEs. */
    public List<String> rejected() throws SQLException {
        String table =
                Identifiers.quote(config.rawSchema) + "." + Identifiers.quote(RawTables.REJECTED);
        try (Connection dst = Connections.open(config.target, "target")) {
            if (Connections.rows(
                            dst,
                            "SELECT to_regclass(" + Identifiers.literal(table) + ") IS NOT NULL")
                    .get(0)
                    .equals("f")) {
                return List.of();
            }
            // the table name last: it may contain the separator
            return Connections.rows(
                            dst,
                            "SELECT count(*), string_agg(DISTINCT sqlstate, ', ' ORDER BY sqlstate), raw_table FROM "
                                    + table
                                    + " GROUP BY raw_table ORDER BY raw_table")
                    .stream()
                    .map(
                            r -> {
                                String[] f = r.split("\\|", 3);
                                return "REJECTED "
                                        + config.rawSchema
                                        + "."
                                        + f[2]
                                        + ": "
                                        + f[0]
                                        + " row(s) refused by the warehouse (SQLSTATE "
                                        + f[1]
                                        + ")";
                            })
                    .toList();
        }
    }

    /** One line per paused table (see raw.PausedTables): since when, why, and how to resume it. */
    public List<String> paused() throws SQLException {
        List<String> out = new ArrayList<>();
        try (Connection dst = Connections.open(config.target, "target")) {
            for (PausedTables.Pause p : PausedTables.read(dst, config.rawSchema).values()) {
                if (p.paused()) {
                    out.add(
                            "PAUSED "
                                    + p.table()
                                    + ": its changes are not loaded since _lsn "
                                    + p.sinceLsn()
                                    + " ("
                                    + p.reason()
                                    + "). Fix the cause, then: flink-elt resnapshot --table '"
                                    + p.table()
                                    + "'");
                }
            }
        }
        return out;
    }

    private static void session(Connection c) throws SQLException {
        c.setAutoCommit(false); // needed for a streaming (cursor) fetch
        try (Statement st = c.createStatement()) {
            st.execute(
                    Connections
                            .TEXT_SESSION); // both sessions print values the same way, whatever the
            // servers' defaults
        }
        c.commit(); // kept by the rollback after each table
    }

    static String keyExpr(List<String> keys) {
        return "(ROW("
                + keys.stream().map(Identifiers::quote).collect(Collectors.joining(", "))
                + "))::text";
    }

    static String sourceQuery(TableRef t, List<String> keys, RawHistory h) {
        String row =
                h.sourceColumns().stream()
                        .map(c -> RawHistory.valueHash(Identifiers.quote(c)))
                        .collect(Collectors.joining(", "));
        return "SELECT "
                + keyExpr(keys)
                + " COLLATE \"C\" AS k, concat_ws(',', "
                + row
                + ") AS h FROM "
                + t.quoted()
                + " ORDER BY 1";
    }

    static String derivedQuery(String raw, List<String> keys, RawHistory h) {
        String keyList = keys.stream().map(Identifiers::quote).collect(Collectors.joining(", "));
        return "SELECT k, h FROM (SELECT DISTINCT ON ("
                + keyList
                + ") "
                + keyExpr(keys)
                + " COLLATE \"C\" AS k, concat_ws(',', "
                + String.join(", ", h.rawExpressions())
                + ") AS h, \"_op\" FROM "
                + raw
                // a TRUNCATE row ends every earlier version of every key
                + " WHERE \"_op\" <> 't' AND \"_lsn\" > (SELECT coalesce(max(\"_lsn\"), -1) FROM "
                + raw
                + " WHERE \"_op\" = 't')"
                + " ORDER BY "
                + keyList
                + ", \"_lsn\" DESC, \"_seq\" DESC) d WHERE \"_op\" <> 'd' ORDER BY 1";
    }

    /**
     * Whether the source publishes only {@code t}'s inserts and truncates (see track.Publications).
     */
    private static boolean insertOnly(Connection src, TableRef t) throws SQLException {
        try (PreparedStatement ps =
                src.prepareStatement(
                        "SELECT c.relreplident = 'n' OR (c.relreplident = 'd' AND NOT EXISTS"
                                + " (SELECT 1 FROM pg_index i WHERE i.indrelid = c.oid AND i.indisprimary))"
                                + " FROM pg_class c WHERE c.oid = ?::regclass")) {
            ps.setString(1, t.quoted());
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() && rs.getBoolean(1);
            }
        }
    }

    /** Each distinct row of a table without a key (its column hashes) and how often it occurs. */
    static String sourceMultiset(TableRef t, RawHistory h) {
        return "SELECT concat_ws(',', "
                + h.sourceColumns().stream()
                        .map(c -> RawHistory.valueHash(Identifiers.quote(c)))
                        .collect(Collectors.joining(", "))
                + (h.sourceColumns().isEmpty() ? "''" : "") // a table without columns
                + ") COLLATE \"C\" AS h, count(*) FROM "
                + t.quoted()
                + " GROUP BY 1 ORDER BY 1";
    }

    /**
     * The same from a raw table: rows after the last {@code t} row in commit order, {@code d} rows
     * counting -1 (see track.Snapshotter: each snapshot of such a table starts with one).
     */
    static String derivedMultiset(String raw, RawHistory h) {
        return "WITH cut AS (SELECT \"_lsn\" AS l, \"_seq\" AS s FROM "
                + raw
                + " WHERE \"_op\" = 't' ORDER BY 1 DESC, 2 DESC LIMIT 1)"
                + " SELECT h, sum(n) FROM (SELECT concat_ws(',', "
                + String.join(", ", h.rawExpressions())
                + (h.rawExpressions().isEmpty() ? "''" : "")
                + ") COLLATE \"C\" AS h, CASE WHEN \"_op\" = 'd' THEN -1 ELSE 1 END AS n FROM "
                + raw
                + " r WHERE \"_op\" <> 't' AND NOT EXISTS (SELECT 1 FROM cut"
                + " WHERE (cut.l, cut.s) >= (r.\"_lsn\", r.\"_seq\"))) x"
                + " GROUP BY h HAVING sum(n) <> 0 ORDER BY 1";
    }

    private TableReport compare(TableRef t, Connection src, Connection dst) throws SQLException {
        String raw = RawTables.qualified(config.rawSchema, t);
        RawTableComment.Parsed made = RawTableComment.read(dst, raw);
        if (made == null) {
            return TableReport.failed(
                    t.dotted(),
                    "no raw table "
                            + config.rawSchema
                            + "."
                            + RawNames.of(t)
                            + " made by flink-elt (has extract-load run?)");
        }
        RawHistory h = RawHistory.read(src, t.quoted(), dst, raw);
        if (h.sourceColumns().isEmpty() && !made.key().isEmpty()) {
            return TableReport.failed(t.dotted(), "the source table has no columns any more");
        }
        boolean multiset = made.key().isEmpty();
        try (PreparedStatement a =
                        src.prepareStatement(
                                multiset ? sourceMultiset(t, h) : sourceQuery(t, made.key(), h));
                PreparedStatement b =
                        dst.prepareStatement(
                                multiset
                                        ? derivedMultiset(raw, h)
                                        : derivedQuery(raw, made.key(), h))) {
            a.setFetchSize(5000);
            b.setFetchSize(5000);
            try (ResultSet ra = a.executeQuery();
                    ResultSet rb = b.executeQuery()) {
                long na = 0, nb = 0, missing = 0, extra = 0, different = 0;
                List<String> samples = new ArrayList<>();
                boolean hasA = ra.next(), hasB = rb.next();
                while (hasA || hasB) {
                    int cmp = !hasA ? 1 : !hasB ? -1 : compareC(ra.getString(1), rb.getString(1));
                    if (multiset) {
                        // (row, count): a row with fewer copies in raw is missing some, more extra
                        long ca = cmp <= 0 ? ra.getLong(2) : 0;
                        long cb = cmp >= 0 ? rb.getLong(2) : 0;
                        if (ca > cb) {
                            missing += ca - cb;
                        } else if (cb > ca) {
                            extra += cb - ca;
                        }
                        if (ca != cb) {
                            sample(samples, cmp <= 0 ? ra.getString(1) : rb.getString(1));
                        }
                        na += ca;
                        nb += cb;
                        hasA = cmp <= 0 ? ra.next() : hasA;
                        hasB = cmp >= 0 ? rb.next() : hasB;
                        continue;
                    }
                    if (cmp == 0) {
                        if (!sameValues(ra.getString(2), rb.getString(2))) {
                            different++;
                            sample(samples, ra.getString(1));
                        }
                        na++;
                        nb++;
                        hasA = ra.next();
                        hasB = rb.next();
                    } else if (cmp < 0) {
                        missing++;
                        na++;
                        sample(samples, ra.getString(1));
                        hasA = ra.next();
                    } else {
                        extra++;
                        nb++;
                        sample(samples, rb.getString(1));
                        hasB = rb.next();
                    }
                }
                List<String> notes = new ArrayList<>(h.notes());
                if (insertOnly(src, t)) {
                    notes.add(
                            "captured for inserts and truncates only (the table has no replica identity):"
                                    + " its updates and deletes are not in raw; ALTER TABLE … REPLICA IDENTITY FULL"
                                    + " captures them from then on");
                }
                return new TableReport(
                        t.dotted(), na, nb, missing, extra, different, samples, notes, null);
            }
        }
    }

    /**
     * Column by column; a raw value that cannot be known (its column was added after the row's
     * version) matches.
     */
    static boolean sameValues(String source, String derived) {
        if (source.equals(derived)) {
            return true;
        }
        String[] a = source.split(",", -1);
        String[] b = derived.split(",", -1);
        if (a.length != b.length) {
            return false;
        }
        for (int i = 0; i < a.length; i++) {
            if (!a[i].equals(b[i]) && !b[i].equals(RawHistory.UNKNOWN)) {
                return false;
            }
        }
        return true;
    }

    /** The "C" collation orders by bytes of the UTF-8 encoding. */
    static int compareC(String x, String y) {
        return Arrays.compareUnsigned(
                x.getBytes(StandardCharsets.UTF_8), y.getBytes(StandardCharsets.UTF_8));
    }

    private static void sample(List<String> samples, String key) {
        if (samples.size() < SAMPLES) {
            samples.add(key);
        }
    }
}
