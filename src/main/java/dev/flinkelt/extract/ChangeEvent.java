package dev.flinkelt.extract;

/**
 * One captured row change, compact and typed so Flink serializes it as a POJO (no Kryo). Values are
 * PostgreSQL text literals in the source table's column order; {@code null} is SQL NULL.
 */
public class ChangeEvent {
    public static final char READ = 'r';
    public static final char INSERT = 'c';
    public static final char UPDATE = 'u';
    public static final char DELETE = 'd';

    /** Every row of the table is gone; no values, keyed apart from every row key. */
    public static final char TRUNCATE = 't';

    /**
     * The old row of an UPDATE that sent one (its replica identity changed, or {@code REPLICA
     * IDENTITY FULL}); it comes right before its UPDATE and never leaves the source tracker.
     */
    public static final char BEFORE = 'b';

    /**
     * A logical decoding message ({@code pg_logical_emit_message}) with the pipeline's prefix:
     * {@code table} holds the prefix, {@code values[0]} the content as UTF-8 text. Never leaves the
     * source tracker.
     */
    public static final char MESSAGE = 'm';

    public static final long NONE = Long.MIN_VALUE;

    /** Source table as {@code schema.table}. */
    public String table;

    /** {@code table} plus the key values; what the stream is partitioned by. */
    public String key;

    public char op;

    /** WAL position of the change; for snapshot rows, the position the snapshot was read at. */
    public long lsn;

    /**
     * Per-key sequence number assigned by the keyed stage: with {@code lsn} a total order per key.
     * Leaving the source it holds the commit LSN of the change's transaction; a snapshot row's is
     * the lowest {@code lsn} it may take. Rows of tables without a key keep {@code lsn} = commit
     * LSN and {@code seq} = their place in the transaction, set by the source tracker.
     */
    public long seq;

    /** Source transaction id, or {@link #NONE}. */
    public long txId;

    /** Source commit time in microseconds since the epoch, or {@link #NONE}. */
    public long sourceTsMicros;

    /**
     * Values as PostgreSQL text. Leaving the source they are in the source row's column order,
     * named by {@link #columns}; once mapped onto the raw table ({@code columns == null}) position
     * {@code i} is the raw table's {@code i}-th source column (raw columns are only ever appended),
     * and missing trailing ones are NULL.
     */
    public String[] values;

    /**
     * The source column names of {@link #values}, until the values are mapped onto the raw table's
     * columns.
     */
    public String[] columns;

    /**
     * The source types of {@link #columns} as the change stream named them ({@code
     * pg.ColumnType#encode}; a plain type name in events of earlier versions), until mapped.
     */
    public String[] types;

    /**
     * Which version of its table's row layout the source reader saw (counted per reader, from 1); 0
     * once mapped.
     */
    public int layout;

    /** Columns whose value the source did not send (unchanged TOAST); null when none. */
    public boolean[] unchanged;

    /**
     * A snapshot row, read by a unique key, of a table whose rows have no TOAST relation (checked
     * by the snapshot reader): none of its values was stored out of line, so no later change can
     * leave one of them out as unchanged TOAST, and the keyed stage need not keep the row for a key
     * it holds nothing for. Carried between operators by {@link ChangeEventSerializer}; not part of
     * the POJO form (transient), which loses it safely: the row is then kept, as are rows held in
     * state for DDL.
     */
    public transient boolean toastFree;

    /**
     * A snapshot row's values as the source's {@code COPY … TO STDOUT} printed them (one line, its
     * newline optional), {@link #values} then null: a row that needs no keyed state and whose
     * layout maps onto its raw table column for column goes to the sink's COPY as it was read,
     * never split into values and escaped again. Whoever needs its values calls {@link
     * #decodeCopyText}. Carried between operators by {@link ChangeEventSerializer}; not part of the
     * POJO form, so the keyed stage decodes a row before holding it in state.
     */
    public transient byte[] copyText;

    /** How many values {@link #copyText} holds. */
    public transient int copyFields;

    public ChangeEvent() {}

    /** Keeps {@code text}, a COPY line of {@code fields} values, in place of the values. */
    public void keepCopyText(byte[] text, int fields) {
        copyText = text;
        copyFields = fields;
        values = null;
    }

    /** Splits {@link #copyText} into {@link #values}, if the row still has it. */
    public void decodeCopyText() {
        if (copyText != null) {
            values = new CopyTextRow().split(copyText, copyFields);
            copyText = null;
        }
    }

    /** How many values the row has. */
    public int width() {
        return values != null ? values.length : copyFields;
    }

    /**
     * True while the values are in the source row's own column order (not yet mapped onto the raw
     * table).
     */
    public boolean unmapped() {
        return columns != null;
    }

    public boolean hasUnchanged() {
        return unchanged != null;
    }

    @Override
    public String toString() {
        return op + " " + table + " @" + lsn + "/"
                + seq; // no key: it is a row value, and this may end up in a log
    }
}
