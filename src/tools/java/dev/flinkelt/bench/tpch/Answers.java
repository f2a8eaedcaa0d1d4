package dev.flinkelt.bench.tpch;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.SQLException;
import java.sql.Statement;
import java.sql.Types;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Full result sets as sorted lists of normalised rows, to compare an output table with PostgreSQL's
 * answer. Numerics are rounded to 4 decimals (both sides' sums are exact at scale 4; the rounding
 * only hides scale differences such as 1.50 vs 1.5000). Problems name tables and counts, never row
 * values.
 */
public final class Answers {
    private Answers() {}

    /** The rows of a query, normalised and sorted. */
    public static List<String> rows(Connection c, String sql) throws SQLException {
        List<String> out = new ArrayList<>();
        try (Statement st = c.createStatement();
                ResultSet rs = st.executeQuery(sql)) {
            ResultSetMetaData md = rs.getMetaData();
            int n = md.getColumnCount();
            while (rs.next()) {
                StringBuilder row = new StringBuilder();
                for (int i = 1; i <= n; i++) {
                    row.append(i == 1 ? "" : "|").append(value(rs, i, md.getColumnType(i)));
                }
                out.add(row.toString());
            }
        }
        Collections.sort(out);
        return out;
    }

    private static String value(ResultSet rs, int i, int type) throws SQLException {
        if (type == Types.NUMERIC || type == Types.DECIMAL) {
            BigDecimal d = rs.getBigDecimal(i);
            return d == null
                    ? "NULL"
                    : d.setScale(4, RoundingMode.HALF_UP).stripTrailingZeros().toPlainString();
        }
        String s = rs.getString(i);
        return s == null ? "NULL" : s;
    }

    /** PostgreSQL's answer to every query, by query name. */
    public static Map<String, List<String>> expected(
            Connection source, List<TpchQueries.Query> queries) throws SQLException {
        Map<String, List<String>> out = new LinkedHashMap<>(); // in query order
        for (TpchQueries.Query q : queries) {
            out.put(q.name(), rows(source, q.postgresSql()));
        }
        return out;
    }

    /**
     * Null if the output table holds exactly {@code expected}; otherwise what differs (counts
     * only).
     */
    public static String difference(
            Connection warehouse, TpchQueries.Query q, List<String> expected) throws SQLException {
        try (Statement st = warehouse.createStatement();
                ResultSet rs =
                        st.executeQuery("SELECT to_regclass('" + q.output() + "') IS NOT NULL")) {
            rs.next();
            if (!rs.getBoolean(1)) {
                return q.output() + " does not exist";
            }
        }
        return difference(q.output(), rows(warehouse, "SELECT * FROM " + q.output()), expected);
    }

    /** Null if equal; else the counts of missing and unexpected rows. */
    public static String difference(String what, List<String> got, List<String> expected) {
        if (got.equals(expected)) {
            return null;
        }
        Map<String, Integer> balance = new HashMap<>();
        expected.forEach(r -> balance.merge(r, 1, Integer::sum));
        got.forEach(r -> balance.merge(r, -1, Integer::sum));
        int missing = balance.values().stream().filter(v -> v > 0).mapToInt(v -> v).sum();
        int extra = -balance.values().stream().filter(v -> v < 0).mapToInt(v -> v).sum();
        return String.format(
                "%s: %d rows, PostgreSQL %d (%d missing, %d unexpected)",
                what, got.size(), expected.size(), missing, extra);
    }
}
