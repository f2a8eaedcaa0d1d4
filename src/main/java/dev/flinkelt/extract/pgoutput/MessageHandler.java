package dev.flinkelt.extract.pgoutput;

/**
 * What the messages of pgoutput's protocol version 1 say, one call per message ({@link
 * PgOutputParser}). LSNs are WAL positions as numbers; times are microseconds since the Unix epoch.
 */
public interface MessageHandler {
    /**
     * A transaction starts; {@code finalLsn} is where its commit record starts (the position a
     * restart must begin at to receive it again).
     */
    void begin(long finalLsn, long commitMicros, long xid);

    /** The transaction ends; {@code endLsn} is where its commit record ends. */
    void commit(long commitLsn, long endLsn, long commitMicros);

    void relation(Relation relation);

    /** The name of a type that is not built in, sent before a Relation that uses it. */
    void type(int oid, String namespace, String name);

    void insert(int relation, Tuple row);

    /**
     * {@code old}: the replica identity's old values (only when they changed) or, under {@code
     * REPLICA IDENTITY FULL} ({@code oldIsFullRow}), the whole old row; null when not sent.
     */
    void update(int relation, Tuple old, boolean oldIsFullRow, Tuple row);

    void delete(int relation, Tuple old, boolean oldIsFullRow);

    void truncate(int[] relations, boolean cascade, boolean restartIdentity);

    /** A message of {@code pg_logical_emit_message}. */
    void message(boolean transactional, long lsn, String prefix, byte[] content);
}
