package dev.flinkelt.cli;

import dev.flinkelt.config.ConfigException;
import dev.flinkelt.config.PipelineConfig;
import dev.flinkelt.config.TableRef;
import dev.flinkelt.pg.Connections;
import dev.flinkelt.pg.SourceCatalog;
import dev.flinkelt.verify.TableReport;
import dev.flinkelt.verify.Verifier;

import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.io.PrintStream;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.List;
import java.util.concurrent.Callable;

@Command(
        name = "verify",
        mixinStandardHelpOptions = true,
        description = {
            "Reconciles every captured source table with the state derived from its raw table.",
            "Prints one line per table; exits 0 only if all match (1 on a mismatch)."
        })
public final class VerifyCommand implements Callable<Integer> {
    @Option(
            names = "--config",
            required = true,
            paramLabel = "FILE",
            description = "pipeline YAML file")
    Path config;

    @Override
    public Integer call() throws Exception {
        return run(PipelineConfig.load(config), System.out) ? 0 : 1;
    }

    /** Runs the reconciliation and prints it; true when every table matches. */
    public static boolean run(PipelineConfig cfg, PrintStream out) throws SQLException {
        Verifier verifier = new Verifier(cfg);
        List<TableReport> reports = verifier.verify(tables(cfg));
        boolean ok = true;
        for (TableReport r : reports) {
            r.lines().forEach(out::println);
            ok &= r.ok();
        }
        List<String> rejected = verifier.rejected();
        for (String line : rejected) {
            out.println(line);
        }
        if (!rejected.isEmpty()) {
            out.println(
                    "verify: the warehouse refused rows; they are in "
                            + cfg.rawSchema
                            + "._rejected with the error and their"
                            + " values. Fix the cause, load them by hand, then delete them from "
                            + cfg.rawSchema
                            + "._rejected");
        }
        ok &= rejected.isEmpty();
        List<String> paused = verifier.paused();
        paused.forEach(out::println);
        ok &= paused.isEmpty();
        out.println(ok ? "verify: all " + reports.size() + " table(s) match" : "verify: MISMATCH");
        return ok;
    }

    /** The source tables the config names now (patterns resolved). */
    public static List<TableRef> tables(PipelineConfig cfg) {
        try (Connection conn = Connections.open(cfg.source, "source")) {
            return new SourceCatalog(conn).capturedTables(cfg.tables, true, cfg.signalTable);
        } catch (SQLException e) {
            throw new ConfigException("source " + cfg.source + ": " + e.getMessage(), e);
        }
    }
}
