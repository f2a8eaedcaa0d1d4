package dev.flinkelt.extract;

import dev.flinkelt.extract.pgoutput.StreamPosition;
import dev.flinkelt.support.Poll;

import io.debezium.connector.base.ChangeEventQueue;
import io.debezium.pipeline.DataChangeEvent;
import io.debezium.util.LoggingContext;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

class QueueOutputTest {
    private static final int BATCH = 16;

    private static ChangeEventQueue<DataChangeEvent> queue(Duration poll) {
        return new ChangeEventQueue.Builder<DataChangeEvent>()
                .pollInterval(poll)
                .maxBatchSize(BATCH)
                .maxQueueSize(8 * BATCH)
                .loggingContextSupplier(() -> LoggingContext.forConnector("t", "t", "t"))
                .build();
    }

    /** Hands to {@code q}; rows inserted into {@code public.signals} are signals. */
    private static QueueOutput output(ChangeEventQueue<DataChangeEvent> q) {
        return new QueueOutput(q, BATCH, "public.signals", StreamPosition.at(1), 1000);
    }

    private static ChangeEvent event(char op, String table) {
        ChangeEvent e = new ChangeEvent();
        e.op = op;
        e.table = table;
        return e;
    }

    @Test
    @Timeout(value = 10, unit = TimeUnit.SECONDS)
    void aSignalMessageIsHandedOverWithoutWaitingForTheBatchOrThePollInterval() throws Exception {
        ChangeEventQueue<DataChangeEvent> q = queue(Duration.ofSeconds(60));
        QueueOutput out = output(q);
        out.emit(event(ChangeEvent.INSERT, "public.items"), StreamPosition.inside(100, 1));
        out.emit(event(ChangeEvent.MESSAGE, "flink-elt"), StreamPosition.inside(100, 2));

        // without the filler the queue hands these two over after 5 s (Debezium caps the interval)
        List<DataChangeEvent> batch = q.poll();

        assertThat(batch).hasSize(BATCH);
        DecodedRecord change = (DecodedRecord) batch.get(0).getRecord();
        DecodedRecord signal = (DecodedRecord) batch.get(1).getRecord();
        assertThat(change.event.table).isEqualTo("public.items");
        assertThat(signal.event.op).isEqualTo(ChangeEvent.MESSAGE);
        for (DataChangeEvent filler : batch.subList(2, BATCH)) {
            DecodedRecord r = (DecodedRecord) filler.getRecord();
            assertThat(r.event).isNull();
            assertThat(r.position).isEqualTo(StreamPosition.inside(100, 2));
        }
    }

    @Test
    @Timeout(value = 10, unit = TimeUnit.SECONDS)
    void aRowOfTheSignalTableIsASignalToo() throws Exception {
        ChangeEventQueue<DataChangeEvent> q = queue(Duration.ofSeconds(60));
        QueueOutput out = output(q);
        out.emit(event(ChangeEvent.INSERT, "public.signals"), StreamPosition.inside(200, 1));

        List<DataChangeEvent> batch = q.poll();

        assertThat(batch).hasSize(BATCH);
        assertThat(((DecodedRecord) batch.get(0).getRecord()).event.table)
                .isEqualTo("public.signals");
    }

    @Test
    void aRowDeletedFromTheSignalTableIsNoSignal() throws Exception {
        ChangeEventQueue<DataChangeEvent> q = queue(Duration.ofMillis(50));
        QueueOutput out = output(q);
        out.emit(event(ChangeEvent.DELETE, "public.signals"), StreamPosition.inside(250, 1));

        assertThat(q.poll()).hasSize(1); // at the poll interval, without fillers
    }

    @Test
    @Timeout(value = 10, unit = TimeUnit.SECONDS)
    void aSignalBehindRecordsTheWaitingPollHoldsAlreadyStillArrivesAtOnce() throws Exception {
        ChangeEventQueue<DataChangeEvent> q = queue(Duration.ofSeconds(60));
        QueueOutput out = output(q);
        for (int i = 1; i <= 5; i++) {
            out.emit(event(ChangeEvent.INSERT, "public.items"), StreamPosition.inside(500, i));
        }
        BlockingQueue<List<DataChangeEvent>> polled = new LinkedBlockingQueue<>();
        Thread poller =
                new Thread(
                        () -> {
                            try {
                                while (true) {
                                    polled.put(q.poll());
                                }
                            } catch (InterruptedException e) {
                                Thread.currentThread().interrupt();
                            }
                        });
        poller.setDaemon(true);
        poller.start();
        try {
            // the poll holds the five and waits for a full batch
            Poll.until(
                    Duration.ofSeconds(5),
                    () -> "the poll takes the first records",
                    () -> q.remainingCapacity() == q.totalCapacity());
            for (int i = 6; i < BATCH + 3; i++) {
                out.emit(event(ChangeEvent.INSERT, "public.items"), StreamPosition.inside(500, i));
            }
            out.emit(event(ChangeEvent.MESSAGE, "flink-elt"), StreamPosition.inside(500, 99));

            // the signal is further back than the first batch reaches; the next one is full too
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(2);
            boolean seen = false;
            while (!seen && System.nanoTime() < deadline) {
                List<DataChangeEvent> batch = polled.poll(100, TimeUnit.MILLISECONDS);
                if (batch != null) {
                    seen =
                            batch.stream()
                                    .map(r -> ((DecodedRecord) r.getRecord()).event)
                                    .anyMatch(ev -> ev != null && ev.op == ChangeEvent.MESSAGE);
                }
            }
            assertThat(seen).as("the signal reached the fetcher within 2 s").isTrue();
        } finally {
            poller.interrupt();
        }
    }

    @Test
    void changesWaitForTheBatchAsBeforeAndGetNoFiller() throws Exception {
        ChangeEventQueue<DataChangeEvent> q = queue(Duration.ofMillis(50));
        QueueOutput out = output(q);
        out.emit(event(ChangeEvent.INSERT, "public.items"), StreamPosition.inside(300, 1));
        out.emit(event(ChangeEvent.UPDATE, "public.items"), StreamPosition.inside(300, 2));

        List<DataChangeEvent> batch = q.poll(); // returns at the poll interval

        assertThat(batch).hasSize(2);
        assertThat(batch)
                .allSatisfy(r -> assertThat(((DecodedRecord) r.getRecord()).event).isNotNull());
    }

    @Test
    void aSignalThatFillsTheBatchGoesWithTheChangesBeforeIt() throws Exception {
        ChangeEventQueue<DataChangeEvent> q = queue(Duration.ofMillis(50));
        QueueOutput out = output(q);
        for (int i = 1; i < BATCH; i++) {
            out.emit(event(ChangeEvent.INSERT, "public.items"), StreamPosition.inside(400, i));
        }
        out.emit(event(ChangeEvent.MESSAGE, "flink-elt"), StreamPosition.inside(400, BATCH));

        // a batch of changes ending in the signal, then a batch of fillers at its position
        assertThat(q.remainingCapacity()).isEqualTo(q.totalCapacity() - 2 * BATCH);
        assertThat(q.poll())
                .hasSize(BATCH)
                .allSatisfy(r -> assertThat(((DecodedRecord) r.getRecord()).event).isNotNull());
        assertThat(q.poll())
                .hasSize(BATCH)
                .allSatisfy(
                        r ->
                                assertThat(((DecodedRecord) r.getRecord()).position)
                                        .isEqualTo(StreamPosition.inside(400, BATCH)));
    }
}
