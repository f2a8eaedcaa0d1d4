package dev.flinkelt.it;

import org.junit.jupiter.api.Test;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;

/** The README's commands, as a new user runs them, against the jar the build made. */
class ReadmeITCase {
    static final Path JAR = Path.of("target/flink-elt.jar");
    static final Pattern WEB_UI = Pattern.compile("Flink Web UI: (http://\\S+)");

    static String readme() throws Exception {
        return Files.readString(Path.of("README.md"));
    }

    @Test
    void readmeGivesTheDemoAndTestCommandsAndCiRunsTheTestCommand() throws Exception {
        assertThat(readme())
                .contains(
                        "mvn -q -DskipTests package && java -jar target/flink-elt.jar demo --for 60s")
                .contains("mvn -B verify");
        assertThat(Files.readString(Path.of(".ci/run"))).contains("mvn -B verify");
    }

    @Test
    void demoCommandRunsSnapshotsStreamsVerifiesAndExitsZero() throws Exception {
        Matcher cmd =
                Pattern.compile("java -jar (target/flink-elt\\.jar demo[^\\n`]*)")
                        .matcher(readme());
        assertThat(cmd.find()).as("README has the demo command").isTrue();
        List<String> command = new ArrayList<>(List.of(javaBin(), "-jar"));
        command.addAll(List.of(cmd.group(1).trim().split("\\s+")));
        Process demo = new ProcessBuilder(command).redirectErrorStream(true).start();
        StringBuilder output = new StringBuilder();
        CompletableFuture<Integer> webUiStatus = new CompletableFuture<>();
        Thread reader =
                new Thread(
                        () -> {
                            try (BufferedReader r =
                                    new BufferedReader(
                                            new InputStreamReader(
                                                    demo.getInputStream(),
                                                    StandardCharsets.UTF_8))) {
                                for (String line; (line = r.readLine()) != null; ) {
                                    synchronized (output) {
                                        output.append(line).append('\n');
                                    }
                                    Matcher ui = WEB_UI.matcher(line);
                                    if (ui.find()) {
                                        String url = ui.group(1) + "/overview";
                                        webUiStatus.complete(
                                                HttpClient.newHttpClient()
                                                        .send(
                                                                HttpRequest.newBuilder(
                                                                                URI.create(url))
                                                                        .build(),
                                                                HttpResponse.BodyHandlers
                                                                        .discarding())
                                                        .statusCode());
                                    }
                                }
                            } catch (Exception e) {
                                webUiStatus.completeExceptionally(e);
                            }
                        });
        reader.start();
        boolean ended = demo.waitFor(4, TimeUnit.MINUTES);
        if (!ended) {
            demo.destroyForcibly();
        }
        reader.join(10_000);
        String out;
        synchronized (output) {
            out = output.toString();
        }
        assertThat(ended).as("demo ended within 4 minutes; output:\n%s", out).isTrue();
        assertThat(demo.exitValue()).as("exit code; output:\n%s", out).isZero();
        assertThat(webUiStatus.get(1, TimeUnit.SECONDS)).as("Flink Web UI answered").isEqualTo(200);
        assertThat(out)
                .contains("snapshot complete")
                .contains("changes loaded")
                .contains("verify: all 3 table(s) match")
                .contains(
                        "analytics: revenue_per_customer_day and orders_by_status equal the same queries run on the source")
                .contains("shop.customers")
                .contains("shop.orders")
                .contains("shop.order_items");
    }

    @Test
    void everyCommandHasHelp() throws Exception {
        for (String sub : List.of("demo", "check", "extract-load", "verify", "bench")) {
            Process p =
                    new ProcessBuilder(javaBin(), "-jar", JAR.toString(), sub, "--help")
                            .redirectErrorStream(true)
                            .start();
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            assertThat(p.waitFor(30, TimeUnit.SECONDS)).isTrue();
            assertThat(p.exitValue()).as(out).isZero();
            assertThat(out).contains("Usage: flink-elt " + sub);
        }
    }

    static String javaBin() {
        return Path.of(System.getProperty("java.home"), "bin", "java").toString();
    }
}
