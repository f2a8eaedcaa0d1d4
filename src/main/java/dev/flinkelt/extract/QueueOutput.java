package dev.flinkelt.extract;

import dev.flinkelt.extract.pgoutput.StreamPosition;

import io.debezium.connector.base.ChangeEventQueue;
import io.debezium.pipeline.DataChangeEvent;

/**
 * Hands decoded events to the reader's queue, and the position alone when it moved without one
 * (commits, changes of other tables, keepalives) for {@code heartbeatMillis}: the slot then
 * advances at checkpoints also while the captured tables idle.
 *
 * <p>A signal is handed over at once. Debezium's queue gives Flink's fetcher a batch only when it
 * is full or the poll interval has passed ({@code ChangeEventQueue#poll}, 1.9), and the interval is
 * long because every batch wakes the fetcher and the task thread (see {@link
 * PgOutputFetchContext}). A snapshot window closes on its high mark: where windows are small (wide
 * rows, tables without a key) that wait was most of a window's time. So after a signal the queue is
 * filled with position-only records at the signal's position, which the emitter passes over (it
 * keeps the last position only, the signal's): up to two batches, since the waiting poll may hold
 * records already and take fewer than a batch from the queue; the one after it then finds a full
 * batch too.
 */
final class QueueOutput implements ChangeDecoder.Output {
    private final ChangeEventQueue<DataChangeEvent> queue;
    private final int batch;
    private final String signalTable;
    private final long heartbeatMillis;
    private StreamPosition latest;
    private StreamPosition handed;
    private long lastHanded;

    /**
     * {@code batch}: the records the queue hands over at once (it holds three batches at least);
     * {@code signalTable}: dotted, rows inserted into it are signals too (where logical decoding
     * messages cannot be written).
     */
    QueueOutput(
            ChangeEventQueue<DataChangeEvent> queue,
            int batch,
            String signalTable,
            StreamPosition start,
            long heartbeatMillis) {
        this.queue = queue;
        this.batch = batch;
        this.signalTable = signalTable;
        this.heartbeatMillis = heartbeatMillis;
        this.latest = start;
        this.handed = start;
    }

    @Override
    public void emit(ChangeEvent e, StreamPosition after) {
        hand(new DataChangeEvent(new DecodedRecord(e, after)), after);
        if (e.op == ChangeEvent.MESSAGE
                || (e.op == ChangeEvent.INSERT && e.table.equals(signalTable))) {
            DataChangeEvent filler = new DataChangeEvent(new DecodedRecord(null, after));
            for (int queued = queue.totalCapacity() - queue.remainingCapacity();
                    queued < 2 * batch;
                    queued++) {
                hand(filler, after);
            }
        }
    }

    @Override
    public void advance(StreamPosition position) {
        latest = position;
    }

    /** Hands the position on when it moved without an event for the heartbeat interval. */
    void tick() {
        if (latest != handed && System.currentTimeMillis() - lastHanded >= heartbeatMillis) {
            hand(new DataChangeEvent(new DecodedRecord(null, latest)), latest);
        }
    }

    private void hand(DataChangeEvent record, StreamPosition position) {
        try {
            queue.enqueue(record);
        } catch (InterruptedException x) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while handing a change on", x);
        }
        latest = position;
        handed = position;
        lastHanded = System.currentTimeMillis();
    }
}
