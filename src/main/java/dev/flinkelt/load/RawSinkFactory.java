package dev.flinkelt.load;

import dev.flinkelt.catalog.TableSchema;
import dev.flinkelt.config.PgEndpoint;
import dev.flinkelt.config.PipelineConfig;
import dev.flinkelt.extract.ChangeEvent;
import javax.sql.XADataSource;
import org.apache.flink.api.connector.sink2.Sink;
import org.apache.flink.connector.jdbc.JdbcExactlyOnceOptions;
import org.apache.flink.connector.jdbc.JdbcExecutionOptions;
import org.apache.flink.connector.jdbc.core.datastream.sink.JdbcSink;
import org.apache.flink.connector.jdbc.datasource.connections.xa.PoolingXaConnectionProvider;
import org.apache.flink.util.function.SerializableSupplier;
import org.postgresql.xa.PGXADataSource;

/** Builds the exactly-once sink of one raw table: XA transactions prepared at a checkpoint, committed when it completes. */
public final class RawSinkFactory {
    private RawSinkFactory() {}

    public static Sink<ChangeEvent> create(PipelineConfig config, TableSchema table) {
        JdbcExecutionOptions exec = JdbcExecutionOptions.builder()
                .withBatchSize(config.batchSize)
                .withBatchIntervalMs(200)
                .withMaxRetries(0) // a retry inside an XA transaction could write a batch twice
                .build();
        JdbcExactlyOnceOptions xa = JdbcExactlyOnceOptions.builder()
                .withTransactionPerConnection(true) // PostgreSQL cannot switch XA transactions on one connection
                .withRecoveredAndRollback(true)
                .withMaxCommitAttempts(3)
                .build();
        PgEndpoint target = config.target;
        SerializableSupplier<XADataSource> dataSource = () -> dataSource(target);
        String sinkName = sinkName(table);
        return new XaJdbcSink<>(JdbcSink.<ChangeEvent>builder()
                .withQueryStatement(RawInsert.sql(config.rawSchema, table), new RawInsert(table))
                .withExecutionOptions(exec)
                .buildExactlyOnce(xa, new TaggedXaConnectionProvider(
                        PoolingXaConnectionProvider.from(dataSource, null), TaggedXaConnectionProvider.formatIdFor(sinkName))));
    }

    /** Names the sink's XA transactions (their format id); must stay stable across runs. */
    static String sinkName(TableSchema table) {
        return "raw:" + table.ref().rawTableName();
    }

    static XADataSource dataSource(PgEndpoint target) {
        PGXADataSource ds = new PGXADataSource();
        ds.setUrl(target.url()); // keeps URL parameters such as sslmode
        ds.setUser(target.username());
        if (target.password() != null) {
            ds.setPassword(target.password());
        }
        ds.setApplicationName("flink-elt sink");
        ds.setReWriteBatchedInserts(true); // one multi-row INSERT per batch instead of a round trip per row
        return ds;
    }

}
