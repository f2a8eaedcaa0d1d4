package dev.flinkelt.track;

import org.apache.flink.runtime.operators.coordination.OperatorEvent;

/**
 * Sent by the source tracker to its coordinator when the snapshots it was asked for are read and
 * their last rows have left it ({@link CheckpointWhenSnapshotsRead}).
 */
public final class SnapshotsRead implements OperatorEvent {
    private static final long serialVersionUID = 1L;

    @Override
    public String toString() {
        return "SnapshotsRead";
    }
}
