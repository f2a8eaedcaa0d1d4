package dev.flinkelt.demo;

import dev.flinkelt.cli.Main;
import dev.flinkelt.cli.ToolCommand;

import org.apache.flink.util.TimeUtils;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.nio.file.Path;
import java.time.Duration;

@Command(
        name = "demo",
        mixinStandardHelpOptions = true,
        description = {
            "Starts two real PostgreSQL servers (source and warehouse), a shop schema and a change generator,",
            "runs extract-load in a local MiniCluster with the Web UI, prints progress, and on stop runs verify."
        })
public final class DemoCommand implements ToolCommand {
    @Option(
            names = "--for",
            paramLabel = "DURATION",
            converter = DurationConverter.class,
            description =
                    "stop after this long (e.g. 60s, 5min), then verify; without it, runs until Ctrl-C")
    Duration duration;

    @Option(
            names = "--rows",
            paramLabel = "N",
            defaultValue = "3000",
            description = "customers in the generated shop (default ${DEFAULT-VALUE})")
    int rows;

    @Option(
            names = "--rate",
            paramLabel = "N",
            defaultValue = "200",
            description = "source changes per second while running (default ${DEFAULT-VALUE})")
    int rate;

    @Option(
            names = "--parallelism",
            paramLabel = "N",
            defaultValue = "2",
            description = "job parallelism (default ${DEFAULT-VALUE})")
    int parallelism;

    @Option(
            names = "--metrics-png",
            paramLabel = "FILE",
            description =
                    "plot the run's main metrics (scraped from its Prometheus endpoint every second) into this PNG")
    Path metricsPng;

    @Override
    public Integer call() throws Exception {
        try {
            Class.forName("io.zonky.test.db.postgres.embedded.EmbeddedPostgres");
        } catch (ClassNotFoundException e) {
            System.err.println(
                    "error: demo needs the embedded PostgreSQL inside target/flink-elt.jar; the slim job jar does not carry it");
            return Main.EXIT_BAD_INPUT;
        }
        return new Demo(duration, rows, rate, parallelism, metricsPng).run();
    }

    static final class DurationConverter implements picocli.CommandLine.ITypeConverter<Duration> {
        @Override
        public Duration convert(String value) {
            return TimeUtils.parseDuration(value);
        }
    }
}
