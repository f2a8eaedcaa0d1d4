package dev.flinkelt.cli;

import dev.flinkelt.config.ConfigException;
import dev.flinkelt.config.PipelineConfig;
import dev.flinkelt.extractload.ExtractLoadLauncher;
import dev.flinkelt.runtime.JobEnvironment;
import dev.flinkelt.runtime.Resume;
import dev.flinkelt.track.SourcePreparer;

import org.apache.flink.streaming.api.environment.LocalStreamEnvironment;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

import java.nio.file.Path;
import java.util.concurrent.Callable;
import java.util.function.UnaryOperator;

@Command(
        name = "extract-load",
        mixinStandardHelpOptions = true,
        description = {
            "Runs the extract-load job: PostgreSQL CDC into exactly-once raw changelog tables.",
            "Started with java -jar it runs in a local Flink MiniCluster; submitted with flink run it runs on that cluster.",
            "Started again after a crash, it resumes from the pipeline's latest retained checkpoint."
        })
public final class ExtractLoadCommand implements Callable<Integer> {
    @Option(
            names = "--config",
            required = true,
            paramLabel = "FILE",
            description = "pipeline YAML file")
    Path config;

    @Option(
            names = "--web-ui-port",
            paramLabel = "PORT",
            defaultValue = "8081",
            description =
                    "port of the local Flink Web UI when run with java -jar (0 = a free port, -1 = no Web UI; default ${DEFAULT-VALUE})")
    int webUiPort;

    @Mixin RestoreOptions restore; // --fresh snapshots again into the raw tables

    @Option(
            names = "--allow-non-restored-state",
            description = {
                "with --from-savepoint: drop state of operators the job no longer has. For the upgrade from the",
                "per-table sinks (uids raw-sink:<table>) of flink-elt before the single raw sink: only from a savepoint",
                "taken by stop-with-savepoint, which committed everything those sinks had prepared"
            })
    boolean allowNonRestoredState;

    @Override
    public Integer call() throws Exception {
        PipelineConfig cfg = PipelineConfig.load(config);
        System.out.println("flink-elt extract-load " + cfg.describe());
        Resume resume = restore.choose(cfg, JobEnvironment.EXTRACT_LOAD);
        if (allowNonRestoredState) {
            ExtractLoadLauncher.refuseLegacyPreparedTransactions(
                    cfg); // before anything is changed on either server
        }
        SourcePreparer.Result source =
                ExtractLoadLauncher.prepare(
                        cfg, resume, resume.isFresh() && !restore.fresh, System.out);
        System.out.println(
                "capturing "
                        + source.tables().size()
                        + " table(s): "
                        + source.tables().stream().map(t -> t.ref().dotted()).toList()
                        + "; snapshot chunks of "
                        + source.chunkSize()
                        + " rows"
                        + (cfg.snapshotChunkSize == 0 ? " (auto)" : "")
                        + (cfg.snapshotReaders > 1
                                ? ", read on " + cfg.snapshotReaders + " connections"
                                : ""));
        int port = webUiPort == 0 ? JobEnvironment.freePort() : webUiPort;
        StreamExecutionEnvironment env =
                JobEnvironment.create(
                        cfg,
                        JobEnvironment.EXTRACT_LOAD,
                        port,
                        resume.pointer(),
                        allowNonRestoredState);
        ExtractLoadLauncher.addTo(env, cfg, source, UnaryOperator.identity());
        if (env instanceof LocalStreamEnvironment && port >= 0) {
            System.out.println("local Flink MiniCluster; Web UI: http://127.0.0.1:" + port);
        }
        try {
            env.execute(ExtractLoadLauncher.jobName(cfg));
        } catch (Exception e) {
            throw unmappedState(e, resume);
        }
        return 0;
    }

    /**
     * Flink's refusal of a savepoint with state of operators the job lacks, said in flink-elt's
     * terms; else {@code e}.
     */
    static Exception unmappedState(Exception e, Resume resume) {
        for (Throwable t = e; t != null && t.getCause() != t; t = t.getCause()) {
            if (t.getMessage() != null
                    && t.getMessage().contains("Cannot map checkpoint/savepoint state")) {
                return new ConfigException(
                        "the savepoint "
                                + resume.pointer()
                                + " holds state of operators this job does not have,"
                                + " so Flink refused it; no rows were written. From a flink-elt with one sink per raw table (operators raw-sink:<table>): start"
                                + " from a savepoint taken by stop-with-savepoint with --allow-non-restored-state (README, Upgrade runbook);"
                                + " otherwise revert the change that removed them",
                        e);
            }
        }
        return e;
    }
}
