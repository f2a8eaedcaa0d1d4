package dev.flinkelt.cli;

import dev.flinkelt.config.ConfigException;
import dev.flinkelt.config.PipelineConfig;
import dev.flinkelt.config.TableRef;
import dev.flinkelt.pg.Connections;
import dev.flinkelt.track.Signals;

import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.io.PrintStream;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.List;
import java.util.concurrent.Callable;

@Command(
        name = "resnapshot",
        mixinStandardHelpOptions = true,
        description = {
            "Asks the running extract-load job to read one table again while the others keep streaming.",
            "The request goes through the source's signal table, so it works wherever the job runs (local, cluster,",
            "Kubernetes) and waits there while the job is stopped. The table's raw rows get a new generation of 'r'",
            "rows: _tx_id and _source_ts of the request tell generations apart."
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
        try (Connection conn = Connections.open(cfg.source, "source")) {
            Signals.send(conn, cfg.signalTable, cfg.slot, Signals.RESNAPSHOT, table.dotted(), null);
        } catch (SQLException e) {
            throw new ConfigException(
                    "cannot write the request into the signal table "
                            + cfg.signalTable
                            + " on the source ("
                            + e.getMessage()
                            + "); the pipeline's user needs INSERT on it",
                    e);
        }
        out.println(
                "resnapshot of "
                        + table
                        + " requested in "
                        + cfg.signalTable
                        + "; the running job reads it again (new 'r' rows)");
    }
}
