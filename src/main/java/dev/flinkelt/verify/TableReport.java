package dev.flinkelt.verify;

import java.util.ArrayList;
import java.util.List;

/**
 * The reconciliation of one source table with the state derived from its raw table; or, when it
 * could not be made, the error in one line. {@code notes} tell the table's column history (columns
 * no longer sent, continuations).
 */
public record TableReport(
        String table,
        long sourceRows,
        long derivedRows,
        long missing,
        long extra,
        long different,
        List<String> sampleKeys,
        List<String> notes,
        String error) {

    static TableReport failed(String table, String error) {
        return new TableReport(table, 0, 0, 0, 0, 0, List.of(), List.of(), error);
    }

    public boolean ok() {
        return error == null && missing == 0 && extra == 0 && different == 0;
    }

    public String line() {
        if (error != null) {
            return String.format("%-40s ERROR: %s", table, error);
        }
        String head = String.format("%-40s source=%d derived=%d ", table, sourceRows, derivedRows);
        if (ok()) {
            return head + "OK";
        }
        return head
                + "MISMATCH (missing="
                + missing
                + " extra="
                + extra
                + " different="
                + different
                + ", sample keys: "
                + String.join(" ", sampleKeys)
                + ")";
    }

    /** {@link #line()} and then one line per note. */
    public List<String> lines() {
        List<String> out = new ArrayList<>();
        out.add(line());
        notes.forEach(n -> out.add("  " + table + ": " + n));
        return out;
    }
}
