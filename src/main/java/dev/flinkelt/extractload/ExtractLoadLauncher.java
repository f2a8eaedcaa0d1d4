package dev.flinkelt.extractload;

import dev.flinkelt.config.ConfigException;
import dev.flinkelt.config.Finding;
import dev.flinkelt.config.Findings;
import dev.flinkelt.config.PipelineConfig;
import dev.flinkelt.config.PipelineException;
import dev.flinkelt.config.TableRef;
import dev.flinkelt.extract.ChangeEvent;
import dev.flinkelt.extract.PgOutputSource;
import dev.flinkelt.load.TargetPreparer;
import dev.flinkelt.load.sink.PreparedTransactions;
import dev.flinkelt.load.sink.RawSink;
import dev.flinkelt.load.sink.TransactionName;
import dev.flinkelt.monitor.SlotLag;
import dev.flinkelt.pg.Connections;
import dev.flinkelt.pg.TableSchema;
import dev.flinkelt.raw.RawNames;
import dev.flinkelt.raw.RawTables;
import dev.flinkelt.runtime.JobEnvironment;
import dev.flinkelt.runtime.Resume;
import dev.flinkelt.runtime.RetainedCheckpoints;
import dev.flinkelt.track.FirstSnapshot;
import dev.flinkelt.track.Publications;
import dev.flinkelt.track.SourcePreparer;
import dev.flinkelt.track.Tracking;

import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.PrintStream;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.function.UnaryOperator;

/**
 * Wires a config to the job: checks and prepares both servers, then adds the real source and sinks
 * to an environment.
 */
public final class ExtractLoadLauncher {
    private static final Logger LOG = LoggerFactory.getLogger(ExtractLoadLauncher.class);

    private ExtractLoadLauncher() {}

    /** A fresh start; see below. */
    public static SourcePreparer.Result prepare(PipelineConfig config) {
        return prepare(config, Resume.FRESH, false, System.out);
    }

    /**
     * Runs every precondition check, creates publication and raw tables, and rolls back the
     * prepared transactions a crashed run left that the run starting from {@code resume} will not
     * commit; on a fresh start, makes the slot and requests the first snapshot of every table.
     * Fails with a {@code ConfigException}. With {@code refuseReload}, a start from scratch into
     * raw tables that already hold rows is refused: it would load every row again (the usual cause:
     * a restart after stop-with-savepoint without {@code --from-savepoint}).
     */
    public static SourcePreparer.Result prepare(
            PipelineConfig config, Resume resume, boolean refuseReload, PrintStream out) {
        Findings findings = PipelineCheck.run(config, false, !resume.isFresh());
        if (findings.failed()) {
            throw findings.refusal();
        }
        for (Finding f : findings.of(Finding.Level.WARN)) {
            LOG.warn("{}: {}", f.server(), f.text());
        }
        SourcePreparer.Result source = new SourcePreparer(config).prepare(resume.isFresh());
        new TargetPreparer(config).prepare(source.tables(), source.userTypes());
        Set<TableRef> reloaded;
        long rawLsn;
        try (Connection c = Connections.open(config.target, "target")) {
            reloaded = resume.isFresh() ? withRows(c, config, source.tables()) : Set.of();
            rawLsn = lastLsn(c, config, reloaded);
            if (refuseReload && !reloaded.isEmpty()) {
                TableRef t = reloaded.iterator().next();
                throw new ConfigException(
                        "raw table "
                                + config.rawSchema
                                + "."
                                + RawNames.of(t)
                                + " already holds rows, but no"
                                + " retained checkpoint was found in "
                                + JobEnvironment.checkpointDir(config, JobEnvironment.EXTRACT_LOAD)
                                + ". Fix: after a stop with savepoint, start with --from-savepoint PATH; to load every row again, start with --fresh");
            }
            int n =
                    PreparedTransactions.rollBackStrays(
                            c,
                            TransactionName.pipelineOf(config),
                            resume.checkpointId(),
                            s -> true);
            if (n > 0) {
                out.println(
                        "rolled back "
                                + n
                                + " prepared transaction(s) a previous run left on the warehouse after its last completed"
                                + " checkpoint"
                                + (resume.checkpointId().isPresent()
                                        ? " (" + resume.checkpointId().getAsLong() + ")"
                                        : "")
                                + "; their rows are read again");
            }
        } catch (SQLException e) {
            throw new PipelineException("target " + config.target + ": " + e.getMessage(), e);
        }
        if (resume.isFresh()) {
            // last: every check passed, so a refused start never drops the slot a savepoint still
            // needs. The marker
            // first: once the slot is new, a checkpoint of the run before must never be resumed
            // from
            RetainedCheckpoints.markFresh(
                    JobEnvironment.checkpointDir(config, JobEnvironment.EXTRACT_LOAD));
            FirstSnapshot.request(config, source.tables(), reloaded, rawLsn, out);
        }
        return source;
    }

    /**
     * Before state of operators the job no longer has is dropped (the upgrade from the per-table XA
     * sinks): refuses while the warehouse database holds prepared transactions in the id form of
     * flink-connector-jdbc's XA sink ({@code <format id>_<base64>_<base64>}). Those belong to a run
     * that was not stopped with a savepoint; their rows are listed only in the state about to be
     * dropped.
     */
    public static void refuseLegacyPreparedTransactions(PipelineConfig config) {
        try (Connection c = Connections.open(config.target, "target")) {
            List<String> legacy =
                    Connections.rows(
                            c,
                            "SELECT gid FROM pg_prepared_xacts WHERE database = current_database()"
                                    + " AND gid ~ '^[0-9]+_[A-Za-z0-9+/=]*_[A-Za-z0-9+/=]*$'");
            if (!legacy.isEmpty()) {
                throw new ConfigException(
                        "the warehouse holds "
                                + legacy.size()
                                + " prepared transaction(s) of an XA sink (e.g. "
                                + legacy.get(0)
                                + "), as the per-table sinks of an earlier flink-elt left them when it was not stopped with a"
                                + " savepoint; dropping that state would lose their rows. Fix: start the earlier version from its checkpoint,"
                                + " stop it with a savepoint, and upgrade from that savepoint");
            }
        } catch (SQLException e) {
            throw new PipelineException("target " + config.target + ": " + e.getMessage(), e);
        }
    }

    /**
     * About the highest {@code _lsn} in the raw tables of {@code tables} (-1 for none): that of the
     * rows the last ten thousand warehouse transactions loaded, found through the raw index without
     * reading whole tables. Rows loaded before those are older changes.
     */
    private static long lastLsn(Connection c, PipelineConfig config, Set<TableRef> tables)
            throws SQLException {
        long max = -1;
        try (Statement st = c.createStatement()) {
            for (TableRef t : tables) {
                String raw = RawTables.qualified(config.rawSchema, t);
                try (ResultSet rs =
                        st.executeQuery(
                                "SELECT max(_lsn) FROM "
                                        + raw
                                        + " WHERE "
                                        + RawTables.LOAD_XID
                                        + " >= (SELECT max("
                                        + RawTables.LOAD_XID
                                        + ") FROM "
                                        + raw
                                        + ") - 10000")) {
                    if (rs.next()) {
                        max = Math.max(max, rs.getLong(1));
                    }
                }
            }
        }
        return max;
    }

    /** The captured tables whose raw tables hold rows already. */
    private static Set<TableRef> withRows(
            Connection c, PipelineConfig config, List<TableSchema> tables) throws SQLException {
        Set<TableRef> out = new LinkedHashSet<>();
        try (Statement st = c.createStatement()) {
            for (TableSchema t : tables) {
                String raw = RawTables.qualified(config.rawSchema, t);
                try (ResultSet rs = st.executeQuery("SELECT EXISTS (SELECT 1 FROM " + raw + ")")) {
                    if (rs.next() && rs.getBoolean(1)) {
                        out.add(t.ref());
                    }
                }
            }
        }
        return out;
    }

    public static void addTo(
            StreamExecutionEnvironment env,
            PipelineConfig config,
            SourcePreparer.Result source,
            UnaryOperator<DataStream<ChangeEvent>> tap) {
        List<TableSchema> tables = source.tables();
        ExtractLoadJob.build(
                env,
                PgOutputSource.create(config, Publications.of(config.publication)),
                new RawSink(config, tables, new ReadEveryTableAgain(config)),
                tap,
                new SlotLag(config.source, config.slot),
                Tracking.of(config, tables, source.chunkSize()));
    }

    public static String jobName(PipelineConfig config) {
        return "flink-elt extract-load (" + config.slot + ")";
    }
}
