package dev.flinkelt.verify;

import dev.flinkelt.catalog.TableSchema;
import dev.flinkelt.config.Identifiers;
import dev.flinkelt.config.PipelineConfig;
import dev.flinkelt.load.RawTables;
import dev.flinkelt.preflight.Connections;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;

/**
 * Reconciles each source table with the current state derived from its raw table (latest version of each key
 * by {@code (_lsn, _seq)}, deletes removed). Both sides are read as {@code (key text, md5(row text))} sorted
 * by the key text in the "C" collation, so the comparison streams with constant memory.
 */
public final class Verifier {
    /** Both sessions print values the same way, whatever the servers' defaults. */
    private static final String SESSION = "SET TimeZone = 'UTC'; SET DateStyle = 'ISO, MDY'; SET IntervalStyle = 'postgres';"
            + " SET extra_float_digits = 1; SET bytea_output = 'hex'";
    private static final int SAMPLES = 5;

    private final PipelineConfig config;

    public Verifier(PipelineConfig config) {
        this.config = config;
    }

    public List<TableReport> verify(List<TableSchema> tables) throws SQLException {
        List<TableReport> reports = new ArrayList<>();
        try (Connection src = Connections.open(config.source, "source"); Connection dst = Connections.open(config.target, "target")) {
            session(src);
            session(dst);
            for (TableSchema t : tables) {
                reports.add(compare(t, src, dst));
            }
        }
        return reports;
    }

    /** One line per raw table with quarantined rows: how many, and the errors' SQLSTATEs. */
    public List<String> rejected() throws SQLException {
        String table = Identifiers.quote(config.rawSchema) + "." + Identifiers.quote(RawTables.REJECTED);
        try (Connection dst = Connections.open(config.target, "target")) {
            if (Connections.rows(dst, "SELECT to_regclass(" + Identifiers.literal(table) + ") IS NOT NULL").get(0).equals("f")) {
                return List.of();
            }
            // the table name last: it may contain the separator
            return Connections.rows(dst, "SELECT count(*), string_agg(DISTINCT sqlstate, ', ' ORDER BY sqlstate), raw_table FROM " + table
                    + " GROUP BY raw_table ORDER BY raw_table").stream().map(r -> {
                        String[] f = r.split("\\|", 3);
                        return "REJECTED " + config.rawSchema + "." + f[2] + ": " + f[0] + " row(s) refused by the warehouse (SQLSTATE " + f[1] + ")";
                    }).toList();
        }
    }

    private static void session(Connection c) throws SQLException {
        c.setAutoCommit(false); // needed for a streaming (cursor) fetch
        try (Statement st = c.createStatement()) {
            st.execute(SESSION);
        }
    }

    static String keyExpr(TableSchema t) {
        return "(ROW(" + t.keyColumns().stream().map(Identifiers::quote).collect(Collectors.joining(", ")) + "))::text";
    }

    static String rowExpr(TableSchema t) {
        return "md5((ROW(" + t.columns().stream().map(c -> Identifiers.quote(c.name())).collect(Collectors.joining(", ")) + "))::text)";
    }

    static String sourceQuery(TableSchema t) {
        return "SELECT " + keyExpr(t) + " COLLATE \"C\" AS k, " + rowExpr(t) + " AS h FROM " + t.ref().quoted() + " ORDER BY 1";
    }

    static String derivedQuery(String rawSchema, TableSchema t) {
        String keys = t.keyColumns().stream().map(Identifiers::quote).collect(Collectors.joining(", "));
        return "SELECT k, h FROM (SELECT DISTINCT ON (" + keys + ") " + keyExpr(t) + " COLLATE \"C\" AS k, " + rowExpr(t)
                + " AS h, \"_op\" FROM " + RawTables.qualified(rawSchema, t) + " ORDER BY " + keys + ", \"_lsn\" DESC, \"_seq\" DESC) d"
                + " WHERE \"_op\" <> 'd' ORDER BY 1";
    }

    private TableReport compare(TableSchema t, Connection src, Connection dst) throws SQLException {
        try (PreparedStatement a = src.prepareStatement(sourceQuery(t)); PreparedStatement b = dst.prepareStatement(derivedQuery(config.rawSchema, t))) {
            a.setFetchSize(5000);
            b.setFetchSize(5000);
            try (ResultSet ra = a.executeQuery(); ResultSet rb = b.executeQuery()) {
                long na = 0, nb = 0, missing = 0, extra = 0, different = 0;
                List<String> samples = new ArrayList<>();
                boolean hasA = ra.next(), hasB = rb.next();
                while (hasA || hasB) {
                    int cmp = !hasA ? 1 : !hasB ? -1 : compareC(ra.getString(1), rb.getString(1));
                    if (cmp == 0) {
                        if (!ra.getString(2).equals(rb.getString(2))) {
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
                return new TableReport(t.ref().dotted(), na, nb, missing, extra, different, samples);
            }
        }
    }

    /** The "C" collation orders by bytes of the UTF-8 encoding. */
    static int compareC(String x, String y) {
        return java.util.Arrays.compareUnsigned(x.getBytes(java.nio.charset.StandardCharsets.UTF_8), y.getBytes(java.nio.charset.StandardCharsets.UTF_8));
    }

    private static void sample(List<String> samples, String key) {
        if (samples.size() < SAMPLES) {
            samples.add(key);
        }
    }
}
