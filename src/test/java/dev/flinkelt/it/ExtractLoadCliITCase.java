package dev.flinkelt.it;

import dev.flinkelt.support.Poll;
import dev.flinkelt.support.TestDatabases;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

import static dev.flinkelt.support.TestDatabases.count;
import static dev.flinkelt.support.TestDatabases.exec;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code java -jar target/flink-elt.jar extract-load --config F} and {@code verify}, as an operator
 * runs them.
 */
class ExtractLoadCliITCase {

    static Process jar(Path log, String... args) throws Exception {
        String[] cmd = new String[args.length + 3];
        cmd[0] = ReadmeITCase.javaBin();
        cmd[1] = "-jar";
        cmd[2] = ReadmeITCase.JAR.toString();
        System.arraycopy(args, 0, cmd, 3, args.length);
        return new ProcessBuilder(cmd)
                .redirectErrorStream(true)
                .redirectOutput(log.toFile())
                .start();
    }

    static int run(Path log, String... args) throws Exception {
        Process p = jar(log, args);
        assertThat(p.waitFor(2, TimeUnit.MINUTES)).isTrue();
        return p.exitValue();
    }

    @Test
    void extractLoadRunsLocallyAndVerifyReportsMatchAndMismatchByExitCode(@TempDir Path tmp)
            throws Exception {
        TestDatabases p = new TestDatabases("cli");
        Path cfg = tmp.resolve("pipeline.yaml");
        Files.writeString(cfg, p.yaml("['public.*']", 2));
        try (Connection src = p.src();
                Connection dst = p.dst()) {
            // a capitalised name is written as in the catalog; public.* finds it
            exec(
                    src,
                    "CREATE TABLE public.a (id int PRIMARY KEY, v text)",
                    "CREATE TABLE public.\"Bee\" (k text PRIMARY KEY, n numeric)",
                    "INSERT INTO public.a SELECT g, 'v' || g FROM generate_series(1, 5000) g",
                    "INSERT INTO public.\"Bee\" SELECT 'k' || g, g / 3.0 FROM generate_series(1, 3000) g");
            Path jobLog = tmp.resolve("extract-load.log");
            Process job =
                    jar(jobLog, "extract-load", "--config", cfg.toString(), "--web-ui-port", "0");
            try {
                Poll.until(
                        Duration.ofMinutes(2),
                        () -> "snapshot through the CLI; log:\n" + read(jobLog),
                        () -> {
                            assertThat(job.isAlive())
                                    .as("extract-load still running; log:\n%s", read(jobLog))
                                    .isTrue();
                            return count(
                                                    dst,
                                                    "SELECT count(*) FROM pg_tables WHERE schemaname = 'raw' AND tablename IN ('public__a', 'public__Bee')")
                                            == 2
                                    && count(
                                                    dst,
                                                    "SELECT (SELECT count(*) FROM raw.public__a) + (SELECT count(*) FROM raw.\"public__Bee\")")
                                            == 8000;
                        });
                exec(
                        src,
                        "UPDATE public.a SET v = 'changed' WHERE id % 10 = 0",
                        "DELETE FROM public.\"Bee\" WHERE n > 900");
                Path verifyLog = tmp.resolve("verify.log");
                Poll.until(
                        Duration.ofMinutes(1),
                        () -> "verify to pass; last output:\n" + read(verifyLog),
                        () -> run(verifyLog, "verify", "--config", cfg.toString()) == 0);
                assertThat(read(verifyLog))
                        .contains("public.a")
                        .contains("public.Bee")
                        .contains("verify: all 2 table(s) match");
                assertThat(read(jobLog))
                        .contains("capturing 2 table(s)")
                        .contains("Web UI: http://127.0.0.1:");
            } finally {
                job.destroy();
                job.waitFor(1, TimeUnit.MINUTES);
                p.rollBackPreparedTransactions();
            }
            exec(src, "DELETE FROM public.a WHERE id = 4242");
            Path mismatchLog = tmp.resolve("mismatch.log");
            assertThat(run(mismatchLog, "verify", "--config", cfg.toString())).isEqualTo(1);
            assertThat(read(mismatchLog))
                    .contains("MISMATCH")
                    .contains("extra=1")
                    .contains("(4242)");
        }
    }

    static String read(Path p) {
        try {
            return Files.exists(p) ? Files.readString(p, StandardCharsets.UTF_8) : "";
        } catch (Exception e) {
            return e.toString();
        }
    }
}
