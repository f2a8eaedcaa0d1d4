package dev.flinkelt.cli;

import dev.flinkelt.config.PipelineConfig;
import dev.flinkelt.config.TransformSettings.Mode;
import dev.flinkelt.runtime.JobEnvironment;
import dev.flinkelt.runtime.RetainedCheckpoints;
import dev.flinkelt.transform.TransformRunner;

import org.apache.flink.table.api.TableResult;
import org.apache.flink.util.TimeUtils;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.Callable;

@Command(
        name = "transform",
        mixinStandardHelpOptions = true,
        description = {
            "Runs the transform job: mirror (current-state) tables for every raw table, then the SQL files of",
            "transform.sql-dir in name order. Streaming keeps them up to date (and resumes from its latest retained checkpoint",
            "when started again); batch rebuilds them once from the raw tables."
        })
public final class TransformCommand implements Callable<Integer> {
    @Option(
            names = "--config",
            required = true,
            paramLabel = "FILE",
            description = "pipeline YAML file")
    Path config;

    @Option(
            names = "--mode",
            paramLabel = "MODE",
            description =
                    "streaming or batch (default: transform.mode of the config, else streaming)")
    String mode;

    @Mixin
    RestoreOptions restore; // streaming only: a batch run always rebuilds from the raw tables

    @Option(
            names = "--web-ui-port",
            paramLabel = "PORT",
            defaultValue = "8082",
            description =
                    "port of the local Flink Web UI when run with java -jar (0 = a free port, -1 = none; default ${DEFAULT-VALUE})")
    int webUiPort;

    @Override
    public Integer call() throws Exception {
        PipelineConfig cfg = PipelineConfig.load(config);
        Mode m = mode == null ? cfg.transform().mode() : Mode.parse(mode);
        int port = webUiPort == 0 ? JobEnvironment.freePort() : webUiPort;
        Map<String, Object> described = cfg.describe();
        described.put(
                "checkpoint-interval",
                TimeUtils.formatWithHighestUnit(
                        JobEnvironment.checkpointInterval(cfg, JobEnvironment.TRANSFORM)));
        described.put("state-backend", JobEnvironment.stateBackend(cfg, JobEnvironment.TRANSFORM));
        System.out.println("flink-elt transform (" + m.name().toLowerCase() + ") " + described);
        String from =
                m == Mode.STREAMING
                        ? restore.choose(cfg, JobEnvironment.TRANSFORM).pointer()
                        : null;
        if (m == Mode.STREAMING && from == null) {
            RetainedCheckpoints.markFresh(
                    JobEnvironment.checkpointDir(cfg, JobEnvironment.TRANSFORM)); // see there
        }
        TableResult result = TransformRunner.submit(cfg, m, port, from);
        result.await();
        System.out.println("transform finished");
        return 0;
    }
}
