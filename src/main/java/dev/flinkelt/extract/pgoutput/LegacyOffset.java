package dev.flinkelt.extract.pgoutput;

import java.util.HashMap;
import java.util.Map;

/**
 * A stream offset Debezium 1.9 wrote (checkpoints and savepoints of versions before flink-elt
 * decoded pgoutput itself), read so that a restore from one neither loses nor repeats a change.
 *
 * <p>Debezium kept {@code lsn} (the last emitted message's LSN, as its XLogData header gave it),
 * {@code lsn_proc} (the same for data changes; unchanged by a transactional message), {@code
 * lsn_commit} (the end of the last committed transaction) and {@code txId} (the last transaction
 * seen). The stream restarts at {@code lsn_commit}: the first transaction it sends is either the
 * one {@code txId} names, partly emitted, or a later one. Of the former, the data messages before
 * {@code lsn} were emitted, and so was the one at {@code lsn}: the first data change there when
 * {@code lsn == lsn_proc}, else the transactional message there. Rows of one multi-row insert share
 * their LSN, and the offset cannot tell how many of them were emitted: the rest of them are emitted
 * again (never lost), with a warning.
 *
 * @param lastLsn {@code lsn}
 * @param processedLsn {@code lsn_proc}
 * @param commitLsn {@code lsn_commit} ({@code lsn_proc} when absent)
 * @param xid {@code txId}, -1 when absent
 */
public record LegacyOffset(long lastLsn, long processedLsn, long commitLsn, long xid) {
    static final String TX_ID = "txId";

    static StreamPosition position(Map<String, String> offset) {
        long last = Long.parseLong(offset.get(StreamPosition.LSN));
        String proc = offset.get(StreamPosition.DEBEZIUM_PROCESSED_LSN);
        if (proc == null) {
            // an offset Flink CDC made from the slot's position: nothing was emitted from it
            return StreamPosition.at(last);
        }
        long processed = Long.parseLong(proc);
        String commit = offset.get(StreamPosition.DEBEZIUM_COMMIT_LSN);
        String xid = offset.get(TX_ID);
        LegacyOffset legacy =
                new LegacyOffset(
                        last,
                        processed,
                        commit == null ? processed : Long.parseLong(commit),
                        xid == null ? -1 : Long.parseLong(xid));
        return new StreamPosition(legacy.commitLsn(), 0, 0, legacy);
    }

    /** The offset as Debezium wrote it (a checkpoint before the stream got that far keeps it). */
    Map<String, String> toOffset() {
        Map<String, String> m = new HashMap<>(5);
        m.put(StreamPosition.LSN, Long.toString(lastLsn));
        m.put(StreamPosition.DEBEZIUM_PROCESSED_LSN, Long.toString(processedLsn));
        m.put(StreamPosition.DEBEZIUM_COMMIT_LSN, Long.toString(commitLsn));
        if (xid >= 0) {
            m.put(TX_ID, Long.toString(xid));
        }
        return m;
    }

    /** Whether the transaction was partly emitted: its changes come after the last commit. */
    public boolean insideTransaction() {
        return processedLsn > commitLsn;
    }
}
