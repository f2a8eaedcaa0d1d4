package dev.flinkelt.track;

import dev.flinkelt.extract.ChangeEvent;

import org.apache.flink.runtime.jobgraph.OperatorID;
import org.apache.flink.runtime.operators.coordination.OperatorCoordinator;
import org.apache.flink.streaming.api.operators.CoordinatedOperatorFactory;
import org.apache.flink.streaming.api.operators.OneInputStreamOperatorFactory;
import org.apache.flink.streaming.api.operators.SimpleOperatorFactory;
import org.apache.flink.streaming.api.operators.StreamOperator;
import org.apache.flink.streaming.api.operators.StreamOperatorParameters;

/**
 * Builds the {@link SourceTracker} with its coordinator ({@link CheckpointWhenSnapshotsRead}) and
 * hands it the gateway its reports go through.
 */
public final class SourceTrackerFactory extends SimpleOperatorFactory<ChangeEvent>
        implements CoordinatedOperatorFactory<ChangeEvent>,
                OneInputStreamOperatorFactory<ChangeEvent, ChangeEvent> {
    private static final long serialVersionUID = 1L;

    public SourceTrackerFactory(Tracking tracking) {
        super(new SourceTracker(tracking));
    }

    @Override
    public <T extends StreamOperator<ChangeEvent>> T createStreamOperator(
            StreamOperatorParameters<ChangeEvent> parameters) {
        T operator = super.createStreamOperator(parameters);
        OperatorID id = parameters.getStreamConfig().getOperatorID();
        ((SourceTracker) operator).toCoordinator =
                parameters.getOperatorEventDispatcher().getOperatorEventGateway(id);
        return operator;
    }

    @Override
    public OperatorCoordinator.Provider getCoordinatorProvider(
            String operatorName, OperatorID operatorID) {
        return new CheckpointWhenSnapshotsRead.Provider(operatorID);
    }
}
