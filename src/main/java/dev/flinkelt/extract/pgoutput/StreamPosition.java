package dev.flinkelt.extract.pgoutput;

import java.util.HashMap;
import java.util.Map;

/**
 * Where the change stream stands, exactly enough to go on from there without losing or repeating a
 * change: the LSN a restart asks the slot for, and, while a transaction is only partly emitted,
 * that transaction's commit LSN and how many of its data messages were emitted.
 *
 * <p>A restart at {@code resumeLsn} receives every transaction whose commit record starts at or
 * after it (PostgreSQL skips those that commit before the start position). Between transactions
 * {@code resumeLsn} is the last transaction's end; inside one it is that transaction's own commit
 * LSN, so it comes again whole and its first {@code txDone} messages are skipped (a transaction is
 * decoded the same way each time). {@code resumeLsn} is also what the slot may be confirmed to.
 *
 * @param resumeLsn where to start streaming
 * @param txLsn commit LSN of the partly emitted transaction, 0 when none
 * @param txDone how many of its data messages (Insert, Update, Delete, Truncate, Message) were
 *     emitted
 * @param legacy the Debezium offset this position was read from, until the stream has passed it
 *     (null otherwise)
 */
public record StreamPosition(long resumeLsn, long txLsn, int txDone, LegacyOffset legacy) {
    static final String LSN = "lsn";
    static final String TX_LSN = "flinkelt.tx_lsn";
    static final String TX_DONE = "flinkelt.tx_done";

    /** Debezium 1.9's keys (offsets of earlier versions). */
    static final String DEBEZIUM_COMMIT_LSN = "lsn_commit";

    static final String DEBEZIUM_PROCESSED_LSN = "lsn_proc";

    /** Between transactions, at {@code lsn}. */
    public static StreamPosition at(long lsn) {
        return new StreamPosition(lsn, 0, 0, null);
    }

    /** After {@code done} data messages of the transaction that commits at {@code txLsn}. */
    public static StreamPosition inside(long txLsn, int done) {
        return new StreamPosition(txLsn, txLsn, done, null);
    }

    public boolean insideTransaction() {
        return txLsn != 0;
    }

    /**
     * The furthest the slot may have been confirmed to for this position to be complete: past it,
     * changes after the position are gone. Debezium confirmed its last emitted message's LSN.
     */
    public long confirmableLsn() {
        return legacy == null ? resumeLsn : Math.max(resumeLsn, legacy.lastLsn());
    }

    /** The offset map the Flink CDC source keeps in its split state. */
    public Map<String, String> toOffset() {
        if (legacy != null) {
            return legacy.toOffset();
        }
        Map<String, String> m = new HashMap<>(4);
        m.put(LSN, Long.toString(resumeLsn));
        if (txLsn != 0) {
            m.put(TX_LSN, Long.toString(txLsn));
            m.put(TX_DONE, Integer.toString(txDone));
        }
        return m;
    }

    /**
     * The position an offset map holds: one of this decoder's, the slot's confirmed position (a
     * fresh stream: only {@code lsn}), or one Debezium 1.9 wrote (an earlier version's checkpoint;
     * see {@link LegacyOffset}).
     */
    public static StreamPosition fromOffset(Map<String, String> offset) {
        String tx = offset.get(TX_LSN);
        if (tx != null) {
            long txLsn = Long.parseLong(tx);
            return new StreamPosition(
                    Long.parseLong(offset.get(LSN)),
                    txLsn,
                    Integer.parseInt(offset.get(TX_DONE)),
                    null);
        }
        if (offset.containsKey(DEBEZIUM_COMMIT_LSN) || offset.containsKey(DEBEZIUM_PROCESSED_LSN)) {
            return LegacyOffset.position(offset);
        }
        return at(Long.parseLong(offset.get(LSN)));
    }
}
