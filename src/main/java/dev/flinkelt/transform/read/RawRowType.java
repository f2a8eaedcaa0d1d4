package dev.flinkelt.transform.read;

/**
 * The one row type every raw row is read as, whatever its table: the raw table's name, the metadata
 * columns, and the values of the raw table's own columns as PostgreSQL text, in column order.
 * Columns are only ever appended to a raw table, so a value's position names its column for good.
 */
public final class RawRowType {
    public static final int TABLE = 0;
    public static final int OP = 1;
    public static final int LSN = 2;
    public static final int SEQ = 3;
    public static final int TX_ID = 4;
    public static final int SOURCE_TS = 5;
    public static final int LOADED_AT = 6;
    public static final int VALUES = 7;

    /**
     * The row's key as one text (see RowReader), null for a table without a key: a mirror view
     * ranks its table's versions by it, so every query shares that one ranking.
     */
    public static final int KEY = 8;

    public static final int ARITY = 9;

    /** The Flink SQL columns, in field order (timestamps as UTC text Flink's CAST reads). */
    public static final String COLUMNS =
            "`raw_table` STRING, `_op` STRING, `_lsn` BIGINT, `_seq` BIGINT, `_tx_id` BIGINT,"
                    + " `_source_ts` STRING, `_loaded_at` STRING, `_values` ARRAY<STRING>, `_key` STRING";

    private RawRowType() {}
}
