package dev.flinkelt.extract;

import dev.flinkelt.extract.pgoutput.StreamPosition;

import io.debezium.connector.base.ChangeEventQueue;
import io.debezium.pipeline.DataChangeEvent;
import io.debezium.util.LoggingContext;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.time.Duration;
import java.util.List;
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
        QueueOutput out = new QueueOutput(q, BATCH, "public.signals", StreamPosition.at(1), 1000);
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
        QueueOutput out = new QueueOutput(q, BATCH, "public.signals", StreamPosition.at(1), 1000);
        out.emit(event(ChangeEvent.INSERT, "public.signals"), StreamPosition.inside(200, 1));

        List<DataChangeEvent> batch = q.poll();

        assertThat(batch).hasSize(BATCH);
        assertThat(((DecodedRecord) batch.get(0).getRecord()).event.table)
                .isEqualTo("public.signals");
    }

    @Test
    void changesWaitForTheBatchAsBeforeAndGetNoFiller() throws Exception {
        ChangeEventQueue<DataChangeEvent> q = queue(Duration.ofMillis(50));
        QueueOutput out = new QueueOutput(q, BATCH, "public.signals", StreamPosition.at(1), 1000);
        out.emit(event(ChangeEvent.INSERT, "public.items"), StreamPosition.inside(300, 1));
        out.emit(event(ChangeEvent.UPDATE, "public.items"), StreamPosition.inside(300, 2));

        List<DataChangeEvent> batch = q.poll(); // returns at the poll interval

        assertThat(batch).hasSize(2);
        assertThat(batch)
                .allSatisfy(r -> assertThat(((DecodedRecord) r.getRecord()).event).isNotNull());
    }

    @Test
    void aFullBatchGetsNoFiller() throws Exception {
        ChangeEventQueue<DataChangeEvent> q = queue(Duration.ofMillis(50));
        QueueOutput out = new QueueOutput(q, BATCH, "public.signals", StreamPosition.at(1), 1000);
        for (int i = 1; i < BATCH; i++) {
            out.emit(event(ChangeEvent.INSERT, "public.items"), StreamPosition.inside(400, i));
        }
        out.emit(event(ChangeEvent.MESSAGE, "flink-elt"), StreamPosition.inside(400, BATCH));

        assertThat(q.remainingCapacity()).isEqualTo(q.totalCapacity() - BATCH);
        assertThat(q.poll())
                .allSatisfy(r -> assertThat(((DecodedRecord) r.getRecord()).event).isNotNull());
    }
}
