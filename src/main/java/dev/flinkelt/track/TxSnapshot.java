package dev.flinkelt.track;

import java.util.HashSet;
import java.util.Set;

/**
 * Which transactions a select saw: PostgreSQL's snapshot as {@code txid_current_snapshot()} prints
 * it ({@code xmin:xmax:xip,…}, 64-bit ids), asked about the 32-bit transaction ids the change
 * stream names (compared modulo 2^32, as PostgreSQL does).
 */
final class TxSnapshot {
    private final long xmin;
    private final long xmax;
    private final Set<Long> running = new HashSet<>();

    private TxSnapshot(long xmin, long xmax) {
        this.xmin = xmin;
        this.xmax = xmax;
    }

    static TxSnapshot parse(String text) {
        String[] p = text.split(":", -1);
        TxSnapshot s = new TxSnapshot(low32(Long.parseLong(p[0])), low32(Long.parseLong(p[1])));
        if (p.length > 2 && !p[2].isEmpty()) {
            for (String x : p[2].split(",")) {
                s.running.add(low32(Long.parseLong(x)));
            }
        }
        return s;
    }

    /** Whether the snapshot sees the changes of transaction {@code xid} (it had committed). */
    boolean sees(long xid) {
        long x = low32(xid);
        return precedes(x, xmin) || (precedes(x, xmax) && !running.contains(x));
    }

    private static long low32(long id) {
        return id & 0xffffffffL;
    }

    private static boolean precedes(long a, long b) {
        return (int) (a - b) < 0;
    }
}
