package dev.flinkelt.cli;

import dev.flinkelt.config.Finding;
import dev.flinkelt.config.Findings;
import dev.flinkelt.config.PipelineConfig;
import dev.flinkelt.extractload.PipelineCheck;
import dev.flinkelt.runtime.JobEnvironment;
import dev.flinkelt.runtime.Resume;

import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.concurrent.Callable;

@Command(
        name = "check",
        mixinStandardHelpOptions = true,
        description = {
            "Checks every precondition of the pipeline on both servers and prints one line for each, with the fix",
            "where one fails: privileges, settings, slot, publication coverage, replica identities, types the",
            "warehouse lacks, schemas, TLS. Changes nothing. Exits 0 when the pipeline can start, 2 otherwise."
        })
public final class CheckCommand implements Callable<Integer> {
    @Option(
            names = "--config",
            required = true,
            paramLabel = "FILE",
            description = "pipeline YAML file")
    Path config;

    @Mixin RestoreOptions restore; // where extract-load would start: a resumed run needs its slot

    @Spec CommandSpec spec;

    @Override
    public Integer call() {
        PipelineConfig cfg = PipelineConfig.load(config);
        Resume resume = restore.choose(cfg, JobEnvironment.EXTRACT_LOAD);
        Findings findings = PipelineCheck.run(cfg, true, !resume.isFresh());
        PrintWriter out = spec.commandLine().getOut();
        findings.all().forEach(f -> out.println(f.line()));
        int failed = findings.of(Finding.Level.FAIL).size();
        int warned = findings.of(Finding.Level.WARN).size();
        out.println(
                failed == 0
                        ? "check: the pipeline can start (" + warned + " warning(s))"
                        : "check: "
                                + failed
                                + " problem(s) to fix before the pipeline can start, "
                                + warned
                                + " warning(s)");
        out.flush();
        return failed == 0 ? 0 : Main.EXIT_BAD_INPUT;
    }
}
