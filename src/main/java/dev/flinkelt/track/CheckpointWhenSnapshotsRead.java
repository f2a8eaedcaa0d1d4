package dev.flinkelt.track;

import org.apache.flink.core.execution.CheckpointType;
import org.apache.flink.runtime.checkpoint.CheckpointCoordinator;
import org.apache.flink.runtime.checkpoint.CheckpointException;
import org.apache.flink.runtime.checkpoint.CheckpointFailureReason;
import org.apache.flink.runtime.jobgraph.OperatorID;
import org.apache.flink.runtime.operators.coordination.OperatorCoordinator;
import org.apache.flink.runtime.operators.coordination.OperatorEvent;
import org.apache.flink.util.ExceptionUtils;
import org.apache.flink.util.concurrent.ExecutorThreadFactory;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * The source tracker's coordinator, on the JobManager: when the tracker reports that every snapshot
 * asked for is read ({@link SnapshotsRead}), it triggers a checkpoint at once. Snapshot rows become
 * visible in raw only when a checkpoint commits them; without this the last rows of a snapshot wait
 * up to a whole checkpoint interval. The report is sent after the rows, and the barrier enters the
 * source task after it, so with aligned checkpoints (the default) the barrier follows the rows to
 * the sink; an unaligned barrier overtakes rows in flight and they commit at the next checkpoint.
 * Nothing of it is state: a report lost in a failover leaves the rows to the periodic checkpoint.
 */
public final class CheckpointWhenSnapshotsRead implements OperatorCoordinator {
    private static final Logger LOG = LoggerFactory.getLogger(CheckpointWhenSnapshotsRead.class);

    /** Tries while the job's tasks are still starting (a small snapshot read right after start). */
    static final int ATTEMPTS = 20;

    static final long RETRY_MILLIS = 500;

    /** Triggers one checkpoint; its future ends with it. */
    interface Checkpoints {
        CompletableFuture<?> trigger();
    }

    private final Checkpoints checkpoints;
    private ScheduledExecutorService retries;
    private boolean triggered;

    /** A report came while this coordinator's checkpoint was on its way: one more after it. */
    private boolean again;

    CheckpointWhenSnapshotsRead(Checkpoints checkpoints) {
        this.checkpoints = checkpoints;
    }

    @Override
    public void start() {
        retries =
                Executors.newSingleThreadScheduledExecutor(
                        new ExecutorThreadFactory("flink-elt checkpoint after snapshots"));
    }

    @Override
    public void close() {
        if (retries != null) {
            retries.shutdownNow();
        }
    }

    @Override
    public void handleEventFromOperator(int subtask, int attemptNumber, OperatorEvent event) {
        if (event instanceof SnapshotsRead) {
            trigger(1);
        } else {
            LOG.warn("ignoring an unknown event from the source tracker: {}", event);
        }
    }

    private synchronized void trigger(int attempt) {
        if (triggered && attempt == 1) {
            again = true;
            return;
        }
        triggered = true;
        CompletableFuture<?> done;
        try {
            done = checkpoints.trigger();
            LOG.info("snapshots read: a checkpoint is triggered so their last rows commit now");
        } catch (RuntimeException e) {
            done = CompletableFuture.failedFuture(e);
        }
        done.whenComplete((c, e) -> ended(e, attempt));
    }

    private synchronized void ended(Throwable error, int attempt) {
        if (error != null
                && attempt < ATTEMPTS
                && !retries.isShutdown()
                && ExceptionUtils.findThrowable(error, CheckpointException.class)
                        .map(CheckpointException::getCheckpointFailureReason)
                        .filter(r -> r == CheckpointFailureReason.NOT_ALL_REQUIRED_TASKS_RUNNING)
                        .isPresent()) {
            // not a failed checkpoint (those count against the tolerated failures): one that
            // could not start yet
            retries.schedule(() -> trigger(attempt + 1), RETRY_MILLIS, TimeUnit.MILLISECONDS);
            return;
        }
        triggered = false;
        if (error != null) {
            LOG.info(
                    "the checkpoint triggered after the snapshots were read did not complete (the"
                            + " periodic ones follow): {}",
                    error.toString());
        }
        if (again) {
            again = false;
            trigger(1);
        }
    }

    @Override
    public void checkpointCoordinator(long checkpointId, CompletableFuture<byte[]> result) {
        result.complete(new byte[0]);
    }

    @Override
    public void notifyCheckpointComplete(long checkpointId) {}

    @Override
    public void resetToCheckpoint(long checkpointId, byte[] checkpointData) {}

    @Override
    public void subtaskReset(int subtask, long checkpointId) {}

    @Override
    public void executionAttemptFailed(int subtask, int attemptNumber, Throwable reason) {}

    @Override
    public void executionAttemptReady(int subtask, int attemptNumber, SubtaskGateway gateway) {}

    /** Makes the coordinator on the JobManager. */
    static final class Provider implements OperatorCoordinator.Provider {
        private static final long serialVersionUID = 1L;
        private final OperatorID operator;

        Provider(OperatorID operator) {
            this.operator = operator;
        }

        @Override
        public OperatorID getOperatorId() {
            return operator;
        }

        @Override
        public OperatorCoordinator create(Context context) {
            return new CheckpointWhenSnapshotsRead(
                    () -> {
                        CheckpointCoordinator c = context.getCheckpointCoordinator();
                        // none: a job without checkpoints, where nothing commits rows early
                        return c == null
                                ? CompletableFuture.completedFuture(null)
                                : c.triggerCheckpoint(CheckpointType.CONFIGURED);
                    });
        }
    }
}
