package dev.flinkelt.job;

import dev.flinkelt.catalog.TableSchema;
import dev.flinkelt.config.PipelineConfig;
import dev.flinkelt.extract.CdcSourceFactory;
import dev.flinkelt.extract.ChangeEvent;
import dev.flinkelt.load.RawSinkFactory;
import dev.flinkelt.preflight.SourcePreparer;
import dev.flinkelt.preflight.TargetPreparer;
import dev.flinkelt.config.ConfigException;
import dev.flinkelt.config.Identifiers;
import dev.flinkelt.load.PreparedTransactions;
import dev.flinkelt.monitor.SlotLag;
import dev.flinkelt.preflight.Connections;
import java.io.PrintStream;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import java.util.function.UnaryOperator;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;

/** Wires a config to the job: checks and prepares both servers, then adds the real source and sinks to an environment. */
public final class ExtractLoadPipeline {
    private ExtractLoadPipeline() {}

    /** A fresh start; see below. */
    public static SourcePreparer.Result prepare(PipelineConfig config) {
        return prepare(config, Resume.FRESH, false, System.out);
    }

    /**
     * Runs every precondition check, creates publication and raw tables, and rolls back the prepared transactions
     * a crashed run left that the run starting from {@code resume} will not commit; fails with a {@code ConfigException}.
     * With {@code refuseReload}, a start from scratch into raw tables that already hold rows is refused: it would
     * load every row again (the usual cause: a restart after stop-with-savepoint without {@code --from-savepoint}).
     */
    public static SourcePreparer.Result prepare(PipelineConfig config, Resume resume, boolean refuseReload, PrintStream out) {
        SourcePreparer.Result source = new SourcePreparer(config).prepare();
        new TargetPreparer(config).prepare(source);
        try (Connection c = Connections.open(config.target, "target")) {
            if (refuseReload) {
                refuseToReload(c, config, source.tables());
            }
            PreparedTransactions.rollBackStrays(c, source.tables(), resume.checkpointId(), out);
        } catch (SQLException e) {
            throw new ConfigException("target " + config.target + ": " + e.getMessage(), e);
        }
        return source;
    }

    private static void refuseToReload(Connection c, PipelineConfig config, List<TableSchema> tables) throws SQLException {
        try (Statement st = c.createStatement()) {
            for (TableSchema t : tables) {
                String raw = Identifiers.quote(config.rawSchema) + "." + Identifiers.quote(t.ref().rawTableName());
                try (ResultSet rs = st.executeQuery("SELECT EXISTS (SELECT 1 FROM " + raw + ")")) {
                    if (rs.next() && rs.getBoolean(1)) {
                        throw new ConfigException("raw table " + config.rawSchema + "." + t.ref().rawTableName() + " already holds rows, but no"
                                + " retained checkpoint was found in " + JobEnvironment.checkpointDir(config, JobEnvironment.EXTRACT_LOAD)
                                + ". Fix: after a stop with savepoint, start with --from-savepoint PATH; to load every row again, start with --fresh");
                    }
                }
            }
        }
    }

    public static void addTo(StreamExecutionEnvironment env, PipelineConfig config, SourcePreparer.Result source,
                             UnaryOperator<DataStream<ChangeEvent>> tap) {
        List<TableSchema> tables = source.tables();
        ExtractLoadJob.build(env, CdcSourceFactory.create(config, tables, source.snapshotLsn(), source.chunkSize()), tables,
                t -> RawSinkFactory.create(config, t), tap, new SlotLag(config.source, config.slot));
    }

    public static String jobName(PipelineConfig config) {
        return "flink-elt extract-load (" + config.slot + ")";
    }
}
