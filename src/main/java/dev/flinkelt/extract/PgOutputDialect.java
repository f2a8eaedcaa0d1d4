package dev.flinkelt.extract;

import dev.flinkelt.extract.pgoutput.StreamPosition;
import dev.flinkelt.pg.Connections;

import io.debezium.relational.TableId;
import io.debezium.relational.history.TableChanges.TableChange;
import org.apache.flink.cdc.connectors.base.config.JdbcSourceConfig;
import org.apache.flink.cdc.connectors.base.source.meta.offset.Offset;
import org.apache.flink.cdc.connectors.base.source.meta.split.SourceSplitBase;
import org.apache.flink.cdc.connectors.base.source.reader.external.FetchTask;
import org.apache.flink.cdc.connectors.base.source.reader.external.JdbcSourceFetchTaskContext;
import org.apache.flink.cdc.connectors.postgres.source.PostgresDialect;
import org.apache.flink.cdc.connectors.postgres.source.config.PostgresSourceConfig;
import org.apache.flink.cdc.connectors.postgres.source.offset.PostgresOffsetFactory;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Flink CDC's PostgreSQL dialect with the change stream read by {@link PgOutputStreamTask} instead
 * of Debezium's streaming source: the framework keeps the stream split, its offset in checkpoints
 * and the confirmation of checkpointed positions to the slot; values never pass through Debezium's
 * typed decoding. Snapshots are read in the stream by the source tracker, so there are no snapshot
 * splits.
 */
final class PgOutputDialect extends PostgresDialect {
    private static final long serialVersionUID = 1L;

    private final StreamSettings settings;
    private transient PgOutputStreamTask task;

    PgOutputDialect(PostgresSourceConfig config, StreamSettings settings) {
        super(config);
        this.settings = settings;
    }

    @Override
    public FetchTask<SourceSplitBase> createFetchTask(SourceSplitBase split) {
        if (split.isSnapshotSplit()) {
            throw new IllegalStateException(
                    "this checkpoint was taken by an early flink-elt version while Flink CDC's own"
                            + " snapshot ran; this version reads snapshots in the change stream and cannot"
                            + " finish that one. Let the earlier version finish its snapshot and stop with a"
                            + " savepoint, or start this version afresh (--fresh)");
        }
        task = new PgOutputStreamTask(split.asStreamSplit(), settings);
        return task;
    }

    /**
     * No table list: which tables stream is the publications' and the patterns' business (see
     * StreamSettings), and the stream split needs no Debezium table schemas, since every row's
     * layout comes with the stream (its Relation messages).
     */
    @Override
    public List<TableId> discoverDataCollections(JdbcSourceConfig config) {
        return new ArrayList<>();
    }

    @Override
    public Map<TableId, TableChange> discoverDataCollectionSchemas(JdbcSourceConfig config) {
        return new HashMap<>();
    }

    @Override
    public JdbcSourceFetchTaskContext createFetchTaskContext(JdbcSourceConfig config) {
        return new PgOutputFetchContext(config, this);
    }

    @Override
    public void notifyCheckpointComplete(long checkpointId, Offset offset) {
        if (task != null) {
            task.confirm(offset);
        }
    }

    /** The slot's confirmed position: where a stream without a checkpoint starts. */
    @Override
    public Offset displayCommittedOffset(JdbcSourceConfig config) {
        try (Connection c = Connections.open(settings.source(), "source")) {
            Long confirmed = PgOutputStreamTask.confirmedLsn(c, settings.slot());
            if (confirmed == null) {
                throw new IllegalStateException(
                        "replication slot '" + settings.slot() + "' does not exist on the source");
            }
            return new PostgresOffsetFactory().newOffset(StreamPosition.at(confirmed).toOffset());
        } catch (SQLException e) {
            throw new IllegalStateException(
                    "cannot read the position of replication slot '"
                            + settings.slot()
                            + "' (SQLSTATE "
                            + e.getSQLState()
                            + ")",
                    e);
        }
    }
}
