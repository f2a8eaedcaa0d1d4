package dev.flinkelt.bench;

import dev.flinkelt.cli.Main;
import dev.flinkelt.cli.ToolCommand;

import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

@Command(
        name = "bench",
        mixinStandardHelpOptions = true,
        description = {
            "Benchmarks flink-elt against its peers (binary COPY, native logical replication, a one-statement Flink SQL",
            "pipeline, a per-row loader) on two embedded PostgreSQL servers, one contender after another, order rotated per",
            "repetition; with --tpch-scale also the transform on six TPC-H queries against PostgreSQL itself.",
            "Writes results.json, results.md and results.png; exit code 1 if any run's target did not match."
        })
public final class BenchCommand implements ToolCommand {
    @Spec picocli.CommandLine.Model.CommandSpec spec;

    @Option(
            names = "--snapshot-rows",
            defaultValue = "1000000",
            description = "rows of the snapshot workload; 0 skips it (default ${DEFAULT-VALUE})")
    long snapshotRows;

    @Option(
            names = "--rates",
            split = ",",
            defaultValue = "500,2000,5000,10000",
            description =
                    "streaming rates in changes/s; 'none' skips streaming; 'search:N' searches each streaming"
                            + " contender's highest sustained rate from N changes/s (doubling, then two bisections)"
                            + " (default ${DEFAULT-VALUE})")
    List<String> rates;

    @Option(
            names = "--stream-rows",
            defaultValue = "20000",
            description =
                    "rows of the table the streaming workload changes (default ${DEFAULT-VALUE})")
    long streamRows;

    @Option(
            names = "--reps",
            defaultValue = "3",
            description = "repetitions of every run (default ${DEFAULT-VALUE})")
    int reps;

    @Option(
            names = "--warmup",
            defaultValue = "15",
            description = "streaming warm-up seconds per run (default ${DEFAULT-VALUE})")
    double warmup;

    @Option(
            names = "--measure",
            defaultValue = "30",
            description = "streaming measured seconds per run (default ${DEFAULT-VALUE})")
    double measure;

    @Option(
            names = "--per-row-seconds",
            defaultValue = "60",
            description = "time box of the per-row loader (default ${DEFAULT-VALUE})")
    double perRowSeconds;

    @Option(
            names = "--contenders",
            split = ",",
            description = "subset to run (default all): ${COMPLETION-CANDIDATES}",
            completionCandidates = Labels.class)
    List<String> contenders;

    @Option(
            names = "--flink-elt-set",
            paramLabel = "KEY=VALUE",
            description =
                    "a pipeline setting for the flink-elt contenders, e.g. snapshot-chunk-size=50000 (repeatable)")
    Map<String, String> flinkEltSettings = new LinkedHashMap<>();

    @Option(
            names = "--jvm-opt",
            paramLabel = "OPTION",
            description =
                    "an extra option for the contenders' JVMs, e.g. a profiler agent (repeatable)")
    List<String> jvmOptions = new ArrayList<>();

    @Option(
            names = "--baseline-jar",
            paramLabel = "JAR",
            description =
                    "also run every selected flink-elt contender from this other build (as baseline-...), for before/after ratios")
    Path baselineJar;

    @Option(
            names = "--baseline-contenders",
            split = ",",
            description =
                    "which flink-elt contenders to run from --baseline-jar (default all selected)")
    List<String> baselineContenders;

    @Option(
            names = "--stream-contenders",
            split = ",",
            description =
                    "contenders of the streaming workload (default: those of --contenders that stream; baseline-... names allowed)")
    List<String> streamContenders;

    @Option(
            names = "--tpch-scale",
            defaultValue = "0",
            description =
                    "TPC-H scale factor of the transform workload, e.g. 0.05 (six TPC-H queries kept by the transform vs PostgreSQL); 0 skips it (default ${DEFAULT-VALUE})")
    double tpchScale;

    @Option(names = "--out", description = "results directory (default bench-results/<date-time>)")
    Path out;

    @Override
    public Integer call() throws Exception {
        try {
            Class.forName("io.zonky.test.db.postgres.embedded.EmbeddedPostgres");
            Class.forName("dev.flinkelt.bench.Bench");
        } catch (ClassNotFoundException e) {
            System.err.println(
                    "error: bench needs target/flink-elt.jar (embedded PostgreSQL inside); the slim job jar does not carry it");
            return Main.EXIT_BAD_INPUT;
        }
        boolean search = rates.size() == 1 && rates.get(0).startsWith("search:");
        int searchFrom = search ? Integer.parseInt(rates.get(0).substring("search:".length())) : 0;
        List<Integer> rateList =
                search || (rates.size() == 1 && rates.get(0).equals("none"))
                        ? List.of()
                        : rates.stream().map(Integer::parseInt).toList();
        Path dir =
                out != null
                        ? out
                        : Path.of(
                                "bench-results",
                                LocalDateTime.now()
                                        .format(DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss")));
        List<Contender> all =
                BenchOptions.contenders(
                        contenders == null ? BenchOptions.contenderLabels() : contenders,
                        baselineJar,
                        baselineContenders);
        BenchOptions options =
                new BenchOptions(
                        dir,
                        snapshotRows,
                        streamRows,
                        reps,
                        rateList,
                        warmup,
                        measure,
                        perRowSeconds,
                        all,
                        BenchOptions.streaming(all, streamContenders),
                        flinkEltSettings,
                        jvmOptions,
                        tpchScale,
                        baselineJar == null ? null : baselineJar.toAbsolutePath(),
                        searchFrom);
        return new Bench(options, new PrintWriter(spec.commandLine().getOut(), true)).run();
    }

    static final class Labels implements Iterable<String> {
        @Override
        public Iterator<String> iterator() {
            return BenchOptions.contenderLabels().iterator();
        }
    }
}
