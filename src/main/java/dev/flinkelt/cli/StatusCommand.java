package dev.flinkelt.cli;

import dev.flinkelt.config.Identifiers;
import dev.flinkelt.config.PipelineConfig;
import dev.flinkelt.extractload.ExtractLoadLauncher;
import dev.flinkelt.monitor.FlinkRest;
import dev.flinkelt.monitor.SlotLag;
import dev.flinkelt.monitor.StatusReport;
import dev.flinkelt.pg.Connections;
import dev.flinkelt.pg.Horizon;
import dev.flinkelt.raw.PausedTables;

import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;

@Command(
        name = "status",
        mixinStandardHelpOptions = true,
        description = {
            "Shows where the extract-load job stands: its state, the last completed checkpoint, the slot's lag and the",
            "snapshot's progress per table (rows, chunks, rows/s, ETA). Reads Flink's REST API (a local run's Web UI, a",
            "cluster, or a port-forward to a Kubernetes JobManager). Exits 0 when the job is found, 1 when it is not."
        })
public final class StatusCommand implements Callable<Integer> {
    @Option(
            names = "--config",
            required = true,
            paramLabel = "FILE",
            description = "pipeline YAML file")
    Path config;

    @Option(
            names = "--rest",
            paramLabel = "URL",
            defaultValue = "http://127.0.0.1:8081",
            description =
                    "Flink REST address (default: ${DEFAULT-VALUE}, a local run's --web-ui-port)")
    String rest;

    @Spec CommandSpec spec;

    /** One line per paused table (see raw.PausedTables), or why they cannot be read. */
    static List<String> paused(PipelineConfig cfg) {
        List<String> out = new ArrayList<>();
        try (Connection dst = Connections.open(cfg.target, "target")) {
            for (PausedTables.Pause p : PausedTables.read(dst, cfg.rawSchema).values()) {
                if (p.paused()) {
                    out.add(
                            "paused:     "
                                    + p.table()
                                    + " since _lsn "
                                    + p.sinceLsn()
                                    + " ("
                                    + p.reason()
                                    + "); fix it, then: flink-elt resnapshot --table '"
                                    + p.table()
                                    + "'");
                }
            }
        } catch (SQLException | RuntimeException e) {
            out.add("paused:     unknown (the warehouse's paused tables cannot be read)");
        }
        return out;
    }

    /**
     * The slot as the source sees it: whether it is read, its WAL status (lost: the pipeline needs
     * --fresh), how much WAL may still be written before the server invalidates it, and whether a
     * promoted standby keeps it (a failover slot, PostgreSQL 17+).
     */
    static String slot(PipelineConfig cfg) {
        try (Connection src = Connections.open(cfg.source, "source")) {
            int major = src.getMetaData().getDatabaseMajorVersion();
            List<String> r =
                    Connections.rows(
                            src,
                            "SELECT CASE WHEN active THEN 'read' ELSE 'not read' END"
                                    + (major >= 13
                                            ? " || ', wal_status ' || coalesce(wal_status, 'unknown') || CASE"
                                                    + " WHEN wal_status = 'lost' THEN ' (start with --fresh)'"
                                                    + " WHEN safe_wal_size IS NULL THEN ', no WAL limit'"
                                                    + " ELSE ', ' || pg_size_pretty(greatest(safe_wal_size, 0))"
                                                    + " || ' until max_slot_wal_keep_size' END"
                                            : "")
                                    + (major >= 17
                                            ? " || CASE WHEN failover THEN ', failover slot' ELSE ', not a failover slot' END"
                                            : "")
                                    + " FROM pg_replication_slots WHERE slot_name = "
                                    + Identifiers.literal(cfg.slot));
            return "slot:       "
                    + cfg.slot
                    + (r.isEmpty() ? " does not exist on the source" : " " + r.get(0));
        } catch (SQLException | RuntimeException e) {
            return "slot:       unknown (the source cannot be asked)";
        }
    }

    /** The transform's horizon on the warehouse, or why it cannot be read. */
    static List<String> horizon(PipelineConfig cfg) {
        try (Connection dst = Connections.open(cfg.target, "target")) {
            return StatusReport.horizon(
                    Horizon.oldestTransactionSeconds(dst), Horizon.oldTransactions(dst, 60));
        } catch (SQLException | RuntimeException e) {
            return List.of("horizon:    unknown (the warehouse cannot be asked)");
        }
    }

    @Override
    public Integer call() throws Exception {
        PrintWriter out = spec.commandLine().getOut();
        PipelineConfig cfg = PipelineConfig.load(config);
        String name = ExtractLoadLauncher.jobName(cfg);
        long lag;
        try (SlotLag slot = new SlotLag(cfg.source, cfg.slot)) {
            lag = slot.bytes();
        }
        List<String> lines;
        FlinkRest api = new FlinkRest(rest);
        try {
            lines = StatusReport.lines(api, name, lag, System.currentTimeMillis());
        } catch (IOException e) {
            out.println(
                    "job:        Flink REST API at "
                            + api.base()
                            + " not reachable ("
                            + e.getMessage()
                            + "). Fix: pass --rest with the"
                            + " JobManager's address (a local run: http://127.0.0.1:<--web-ui-port>; Kubernetes: kubectl port-forward svc/<name>-rest 8081)");
            out.println("slot lag:   " + (lag < 0 ? "unknown" : lag + " bytes"));
            return 1;
        }
        lines.forEach(out::println);
        out.println(slot(cfg));
        horizon(cfg).forEach(out::println);
        paused(cfg).forEach(out::println);
        out.flush();
        return lines.get(0).startsWith("job:        none") ? 1 : 0;
    }
}
