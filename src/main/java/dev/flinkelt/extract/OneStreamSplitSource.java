package dev.flinkelt.extract;

import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.connector.source.Boundedness;
import org.apache.flink.api.connector.source.Source;
import org.apache.flink.api.connector.source.SourceEvent;
import org.apache.flink.api.connector.source.SourceReader;
import org.apache.flink.api.connector.source.SourceReaderContext;
import org.apache.flink.api.connector.source.SplitEnumerator;
import org.apache.flink.api.connector.source.SplitEnumeratorContext;
import org.apache.flink.api.java.typeutils.ResultTypeQueryable;
import org.apache.flink.cdc.connectors.base.source.assigner.state.PendingSplitsState;
import org.apache.flink.cdc.connectors.base.source.meta.split.SourceSplitBase;
import org.apache.flink.core.io.SimpleVersionedSerializer;

import javax.annotation.Nullable;

import java.io.IOException;
import java.io.Serializable;
import java.util.List;

/**
 * The Flink CDC source with one fix: in stream-only mode its split assigner takes any {@code
 * addSplitsBack} call as "the stream split is back" and makes a new one from the slot's confirmed
 * position (flink-cdc 3.5.0, {@code StreamSplitAssigner.addSplits}). Flink calls it, with an empty
 * list, for every subtask it resets after a failure, so the restored reader, which still holds the
 * stream split, and a second one read the slot: changes between the slot's position (three
 * checkpoints behind) and the checkpoint are loaded twice. Here an empty list changes nothing; a
 * list with the split (assigned after the last checkpoint) still goes back.
 */
public final class OneStreamSplitSource<T>
        implements Source<T, SourceSplitBase, PendingSplitsState>, ResultTypeQueryable<T> {
    private static final long serialVersionUID = 1L;

    private final Source<T, SourceSplitBase, PendingSplitsState> source;
    private final Enumerators enumerators;
    private final TypeInformation<T> type;

    /** Makes the split enumerator, new or from {@code restored} (null: new). */
    public interface Enumerators extends Serializable {
        SplitEnumerator<SourceSplitBase, PendingSplitsState> create(
                SplitEnumeratorContext<SourceSplitBase> context,
                @Nullable PendingSplitsState restored)
                throws Exception;
    }

    public OneStreamSplitSource(
            Source<T, SourceSplitBase, PendingSplitsState> source,
            Enumerators enumerators,
            TypeInformation<T> type) {
        this.source = source;
        this.enumerators = enumerators;
        this.type = type;
    }

    @Override
    public Boundedness getBoundedness() {
        return source.getBoundedness();
    }

    @Override
    public SourceReader<T, SourceSplitBase> createReader(SourceReaderContext context)
            throws Exception {
        return source.createReader(context);
    }

    @Override
    public SplitEnumerator<SourceSplitBase, PendingSplitsState> createEnumerator(
            SplitEnumeratorContext<SourceSplitBase> context) throws Exception {
        return new Enumerator(enumerators.create(context, null));
    }

    @Override
    public SplitEnumerator<SourceSplitBase, PendingSplitsState> restoreEnumerator(
            SplitEnumeratorContext<SourceSplitBase> context, PendingSplitsState checkpoint)
            throws Exception {
        return new Enumerator(enumerators.create(context, checkpoint));
    }

    @Override
    public SimpleVersionedSerializer<SourceSplitBase> getSplitSerializer() {
        return source.getSplitSerializer();
    }

    @Override
    public SimpleVersionedSerializer<PendingSplitsState> getEnumeratorCheckpointSerializer() {
        return source.getEnumeratorCheckpointSerializer();
    }

    @Override
    public TypeInformation<T> getProducedType() {
        return type;
    }

    /** Forwards everything but an empty {@code addSplitsBack}. */
    static final class Enumerator implements SplitEnumerator<SourceSplitBase, PendingSplitsState> {
        private final SplitEnumerator<SourceSplitBase, PendingSplitsState> enumerator;

        Enumerator(SplitEnumerator<SourceSplitBase, PendingSplitsState> enumerator) {
            this.enumerator = enumerator;
        }

        @Override
        public void start() {
            enumerator.start();
        }

        @Override
        public void handleSplitRequest(int subtaskId, @Nullable String requesterHostname) {
            enumerator.handleSplitRequest(subtaskId, requesterHostname);
        }

        @Override
        public void addSplitsBack(List<SourceSplitBase> splits, int subtaskId) {
            if (!splits.isEmpty()) {
                enumerator.addSplitsBack(splits, subtaskId);
            }
        }

        @Override
        public void addReader(int subtaskId) {
            enumerator.addReader(subtaskId);
        }

        @Override
        public PendingSplitsState snapshotState(long checkpointId) throws Exception {
            return enumerator.snapshotState(checkpointId);
        }

        @Override
        public void notifyCheckpointComplete(long checkpointId) throws Exception {
            enumerator.notifyCheckpointComplete(checkpointId);
        }

        @Override
        public void notifyCheckpointAborted(long checkpointId) throws Exception {
            enumerator.notifyCheckpointAborted(checkpointId);
        }

        @Override
        public void handleSourceEvent(int subtaskId, SourceEvent sourceEvent) {
            enumerator.handleSourceEvent(subtaskId, sourceEvent);
        }

        @Override
        public void close() throws IOException {
            enumerator.close();
        }
    }
}
