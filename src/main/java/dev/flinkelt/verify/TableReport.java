package dev.flinkelt.verify;

import java.util.List;

/** The reconciliation of one source table with the state derived from its raw table. */
public record TableReport(String table, long sourceRows, long derivedRows, long missing, long extra, long different, List<String> sampleKeys) {

    public boolean ok() {
        return missing == 0 && extra == 0 && different == 0;
    }

    public String line() {
        String head = String.format("%-40s source=%d derived=%d ", table, sourceRows, derivedRows);
        if (ok()) {
            return head + "OK";
        }
        return head + "MISMATCH (missing=" + missing + " extra=" + extra + " different=" + different
                + ", sample keys: " + String.join(" ", sampleKeys) + ")";
    }
}
