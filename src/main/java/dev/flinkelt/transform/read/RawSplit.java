package dev.flinkelt.transform.read;

import org.apache.flink.api.connector.source.SourceSplit;

/**
 * One raw table and how far it has been read: {@code from} is the lowest {@code _load_xid} not read
 * yet ({@link #START} for a table not read at all). {@code end} bounds a batch read (null when
 * streaming).
 */
public final class RawSplit implements SourceSplit {
    public static final long START = Long.MIN_VALUE;

    final String table;
    long from;
    final Long end;

    RawSplit(String table, long from, Long end) {
        this.table = table;
        this.from = from;
        this.end = end;
    }

    @Override
    public String splitId() {
        return table;
    }

    RawSplit copy() {
        return new RawSplit(table, from, end);
    }

    @Override
    public String toString() {
        return "RawSplit{" + table + ", from " + from + (end == null ? "" : ", end " + end) + "}";
    }
}
