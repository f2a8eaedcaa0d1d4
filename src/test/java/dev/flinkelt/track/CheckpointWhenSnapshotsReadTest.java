package dev.flinkelt.track;

import dev.flinkelt.support.Poll;

import org.apache.flink.runtime.checkpoint.CheckpointException;
import org.apache.flink.runtime.checkpoint.CheckpointFailureReason;
import org.apache.flink.runtime.operators.coordination.OperatorEvent;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CopyOnWriteArrayList;

import static org.assertj.core.api.Assertions.assertThat;

class CheckpointWhenSnapshotsReadTest {
    /** Every checkpoint the coordinator triggered, in order; the test ends each. */
    final List<CompletableFuture<Object>> triggered = new CopyOnWriteArrayList<>();

    final CheckpointWhenSnapshotsRead coordinator =
            new CheckpointWhenSnapshotsRead(
                    () -> {
                        CompletableFuture<Object> f = new CompletableFuture<>();
                        triggered.add(f);
                        return f;
                    });

    {
        coordinator.start();
    }

    @AfterEach
    void close() {
        coordinator.close();
    }

    void report() {
        coordinator.handleEventFromOperator(0, 0, new SnapshotsRead());
    }

    @Test
    void reportsWhileACheckpointIsOnItsWayMakeOneMoreAfterIt() {
        report();
        assertThat(triggered).hasSize(1);
        report();
        report();
        assertThat(triggered).as("its barrier may have passed the rows: not yet").hasSize(1);
        triggered.get(0).complete(null);
        assertThat(triggered).as("one more for both reports").hasSize(2);
        triggered.get(1).complete(null);
        assertThat(triggered).hasSize(2);
        report();
        assertThat(triggered).hasSize(3);
    }

    @Test
    void aCheckpointThatCouldNotStartYetIsTriedAgain() throws Exception {
        report();
        triggered
                .get(0)
                .completeExceptionally(
                        new CompletionException(
                                new CheckpointException(
                                        CheckpointFailureReason.NOT_ALL_REQUIRED_TASKS_RUNNING)));
        Poll.until(Duration.ofSeconds(10), () -> "a second attempt", () -> triggered.size() == 2);
        report();
        assertThat(triggered).as("reports wait for the attempt on its way").hasSize(2);
        triggered.get(1).complete(null);
        assertThat(triggered).hasSize(3);
    }

    @Test
    void aCheckpointThatFailedIsNotRepeatedButTheNextReportTriggersAgain() {
        report();
        triggered
                .get(0)
                .completeExceptionally(
                        new CheckpointException(CheckpointFailureReason.CHECKPOINT_DECLINED));
        report();
        assertThat(triggered).as("no retry pending: the next report triggers at once").hasSize(2);
    }

    @Test
    void otherEventsAreIgnored() {
        coordinator.handleEventFromOperator(0, 0, new OperatorEvent() {});
        assertThat(triggered).isEmpty();
    }
}
