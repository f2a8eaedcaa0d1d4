package dev.flinkelt.cli;

import dev.flinkelt.config.PipelineConfig;
import dev.flinkelt.runtime.Resume;

import picocli.CommandLine.Option;

/**
 * Where a streaming job starts, the same for extract-load and transform (a picocli mixin; see
 * {@link Resume}).
 */
final class RestoreOptions {
    @Option(
            names = "--from-savepoint",
            paramLabel = "PATH",
            description = "start from this savepoint or retained checkpoint")
    String savepoint;

    @Option(names = "--fresh", description = "ignore retained checkpoints and start from scratch")
    boolean fresh;

    Resume choose(PipelineConfig cfg, String job) {
        return Resume.choose(cfg, job, savepoint, fresh, System.out);
    }
}
