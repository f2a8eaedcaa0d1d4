package dev.flinkelt.cli;

import dev.flinkelt.config.ConfigException;
import dev.flinkelt.config.PipelineConfig;
import dev.flinkelt.config.TableRef;
import dev.flinkelt.pg.Connections;
import dev.flinkelt.pg.SqlErrors;
import dev.flinkelt.raw.PausedTables;
import dev.flinkelt.track.Signals;

import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.io.PrintStream;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import java.util.concurrent.Callable;

@Command(
        name = "resnapshot",
        mixinStandardHelpOptions = true,
        description = {
            "Asks the running extract-load job to read one table again while the others keep streaming.",
            "The request travels in the change stream (a logical decoding message; a signal-table row with",
            "source.signals: table), so it needs no write to any source table, works wherever the job runs (local,",
            "cluster, Kubernetes) and waits in the slot while the job is stopped. The table's raw rows get a new",
            "generation of 'r' rows: _tx_id and _source_ts of the request tell generations apart."
        })
public final class ResnapshotCommand implements Callable<Integer> {
    @Option(
            names = "--config",
            required = true,
            paramLabel = "FILE",
            description = "pipeline YAML file")
    Path config;

    @Option(
            names = "--table",
            required = true,
            paramLabel = "SCHEMA.TABLE",
            description = "the captured table to read again")
    String table;

    @Override
    public Integer call() {
        request(PipelineConfig.load(config), TableRef.parse(table), System.out);
        return 0;
    }

    /** Writes the request; refuses a table the pipeline does not capture. */
    public static void request(PipelineConfig cfg, TableRef table, PrintStream out) {
        List<TableRef> captured = VerifyCommand.tables(cfg);
        if (!captured.contains(table)) {
            throw new ConfigException(
                    "table "
                            + table
                            + " is not captured by this pipeline (source.tables: "
                            + cfg.tables
                            + "); name one of "
                            + captured.stream().map(TableRef::dotted).toList());
        }
        boolean paused = paused(cfg, table);
        try (Connection conn = Connections.open(cfg.source, "source")) {
            conn.setAutoCommit(false);
            if (paused) {
                holdWriters(conn, table, out);
            }
            Signals.send(conn, cfg.signals, cfg.slot, Signals.RESNAPSHOT, table.dotted(), null);
            conn.commit();
        } catch (SQLException e) {
            throw new ConfigException(
                    "cannot send the request to the pipeline on the source ("
                            + e.getMessage()
                            + "); "
                            + (cfg.signals.messages()
                                    ? "the source user needs EXECUTE on pg_logical_emit_message"
                                    : "the source user needs INSERT on the signal table "
                                            + cfg.signalTable),
                    e);
        }
        out.println(
                paused
                        ? "table "
                                + table
                                + " was paused; it resumes: its raw rows end with a 't' row and a new snapshot follows"
                        : "resnapshot of "
                                + table
                                + " requested; the running job reads it again (new 'r' rows)");
    }

    private static boolean paused(PipelineConfig cfg, TableRef table) {
        try (Connection dst = Connections.open(cfg.target, "target")) {
            PausedTables.Pause p = PausedTables.read(dst, cfg.rawSchema).get(table.dotted());
            return p != null && p.paused();
        } catch (SQLException e) {
            throw new ConfigException(
                    "cannot read the paused tables on the warehouse (" + e.getMessage() + ")", e);
        }
    }

    /**
     * No transaction may write a resumed table across the request: one that changed it before and
     * committed after would land on both sides of the resumption. SHARE waits for the writers in
     * flight and holds off new ones until the request commits (milliseconds). Without the privilege
     * to lock (UPDATE, DELETE or TRUNCATE on the table) the request goes on unlocked.
     */
    private static void holdWriters(Connection conn, TableRef table, PrintStream out)
            throws SQLException {
        try (Statement st = conn.createStatement()) {
            st.execute("SET LOCAL lock_timeout = '30s'");
            st.execute("SAVEPOINT lock_table");
            try {
                st.execute("LOCK TABLE " + table.quoted() + " IN SHARE MODE");
            } catch (SQLException e) {
                if (!SqlErrors.INSUFFICIENT_PRIVILEGE.equals(e.getSQLState())) {
                    throw e;
                }
                st.execute("ROLLBACK TO SAVEPOINT lock_table");
                out.println(
                        "note: the source user may not lock "
                                + table
                                + " (it needs UPDATE, DELETE or TRUNCATE on it); the resumption goes on"
                                + " without holding its writers off for the moment it is requested");
            }
        }
    }
}
