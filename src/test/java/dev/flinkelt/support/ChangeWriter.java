package dev.flinkelt.support;

import java.sql.Connection;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.locks.LockSupport;

import static dev.flinkelt.support.TestDatabases.exec;

/**
 * Changes a table {@code (id bigint PRIMARY KEY, owner text, balance numeric, version int)} with
 * ids 1..rows until finished, in its own thread: updates 50 rows per statement, inserts a row every
 * tenth statement, and keeps the ledger of every change it made. Paced at {@link #RATE} changes per
 * second (an open-loop load, as a source database sees it; unpaced it would only measure how fast
 * this machine can write).
 */
public final class ChangeWriter extends Thread {
    public static final long RATE = 2_000;
    private final Connection src;
    private final Ledger ledger;
    private final String table;
    private final long rows;
    private final AtomicBoolean stop = new AtomicBoolean();
    private final AtomicReference<Throwable> failure = new AtomicReference<>();
    private final AtomicLong changes = new AtomicLong();

    public ChangeWriter(Connection src, Ledger ledger, String table, long rows) {
        super("change-writer");
        this.src = src;
        this.ledger = ledger;
        this.table = table;
        this.rows = rows;
    }

    @Override
    public void run() {
        long nextId = rows + 1;
        long start = System.nanoTime();
        try {
            for (long i = 0; !stop.get(); i++) {
                long due = start + changes.get() * 1_000_000_000L / RATE;
                LockSupport.parkNanos(due - System.nanoTime());
                long from = 1 + (i * 50) % rows;
                String range = "id BETWEEN " + from + " AND " + (from + 49);
                exec(
                        src,
                        "UPDATE "
                                + table
                                + " SET version = version + 1, balance = balance + 1 WHERE "
                                + range);
                ledger.expectChanges(src, "u", range);
                changes.addAndGet(50);
                if (i % 10 == 0) {
                    exec(src, "INSERT INTO " + table + " VALUES (" + nextId + ", 'new', 0, 0)");
                    ledger.expectChanges(src, "c", "id = " + nextId++);
                    changes.incrementAndGet();
                }
            }
        } catch (Throwable t) {
            failure.set(t);
        }
    }

    /** Changes made so far. */
    public long changes() {
        return changes.get();
    }

    /**
     * Stops the writer; returns the number of changes it made (the ledger is complete from here
     * on).
     */
    public long finish() throws Exception {
        stop.set(true);
        join(60_000);
        if (failure.get() != null) {
            throw new AssertionError("change writer failed", failure.get());
        }
        return changes.get();
    }
}
