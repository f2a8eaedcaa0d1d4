package dev.flinkelt.load;

import java.io.IOException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Optional;
import org.apache.flink.api.connector.sink2.Committer;
import org.apache.flink.connector.jdbc.core.datastream.sink.committer.JdbcCommitable;
import org.apache.flink.connector.jdbc.datasource.transactions.xa.XaTransaction;
import org.apache.flink.connector.jdbc.datasource.transactions.xa.domain.TransactionId;

/**
 * Commits what a completed checkpoint covers and nothing newer: for a committable whose writer runs in this task,
 * the writer's prepared transactions up to the committable's own (by the checkpoint id in its transaction id).
 * A committable restored from a checkpoint has no writer here; its transaction was committed by the restored
 * writer, and the connector's committer handles it as before.
 */
final class CheckpointBoundCommitter implements Committer<JdbcCommitable> {
    private final Committer<JdbcCommitable> delegate;

    CheckpointBoundCommitter(Committer<JdbcCommitable> delegate) {
        this.delegate = delegate;
    }

    @Override
    public void commit(Collection<CommitRequest<JdbcCommitable>> requests) throws IOException, InterruptedException {
        List<CommitRequest<JdbcCommitable>> restored = new ArrayList<>();
        for (CommitRequest<JdbcCommitable> r : requests) {
            Optional<XaTransaction> tx = r.getCommittable().getTransaction();
            if (tx.isPresent() && r.getCommittable().getXid() instanceof TransactionId id) {
                tx.get().commitTxUntil(id.getCheckpointId());
            } else {
                restored.add(r);
            }
        }
        if (!restored.isEmpty()) {
            delegate.commit(restored);
        }
    }

    @Override
    public void close() throws Exception {
        delegate.close();
    }
}
