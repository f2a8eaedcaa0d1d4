package dev.flinkelt.extract;

/**
 * One captured row change, compact and typed so Flink serializes it as a POJO (no Kryo).
 * Values are PostgreSQL text literals in the source table's column order; {@code null} is SQL NULL.
 */
public class ChangeEvent {
    public static final char READ = 'r';
    public static final char INSERT = 'c';
    public static final char UPDATE = 'u';
    public static final char DELETE = 'd';
    public static final long NONE = Long.MIN_VALUE;

    /** Source table as {@code schema.table}. */
    public String table;
    /** {@code table} plus the key values; what the stream is partitioned by. */
    public String key;
    public char op;
    /** WAL position of the change; for snapshot rows, the position the snapshot was read at. */
    public long lsn;
    /** Per-key sequence number assigned by the keyed stage: with {@code lsn} a total order per key. */
    public long seq;
    /** Source transaction id, or {@link #NONE}. */
    public long txId;
    /** Source commit time in microseconds since the epoch, or {@link #NONE}. */
    public long sourceTsMicros;
    public String[] values;
    /** Columns whose value the source did not send (unchanged TOAST); null when none. */
    public boolean[] unchanged;

    public ChangeEvent() {}

    public boolean hasUnchanged() {
        return unchanged != null;
    }

    @Override
    public String toString() {
        return op + " " + table + " @" + lsn + "/" + seq; // no key: it is a row value, and this may end up in a log
    }
}
