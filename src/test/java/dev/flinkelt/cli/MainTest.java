package dev.flinkelt.cli;

import dev.flinkelt.config.ConfigException;
import dev.flinkelt.config.PipelineException;

import org.junit.jupiter.api.Test;
import picocli.CommandLine;
import picocli.CommandLine.Command;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.sql.SQLException;
import java.util.concurrent.Callable;

import static org.assertj.core.api.Assertions.assertThat;

class MainTest {

    @Command(name = "fails")
    static final class Fails implements Callable<Integer> {
        RuntimeException error;

        @Override
        public Integer call() {
            throw error;
        }
    }

    private static int run(RuntimeException error, StringWriter err) {
        Fails fails = new Fails();
        fails.error = error;
        CommandLine cli = Main.commandLine().addSubcommand(fails);
        return Main.configure(cli, new PrintWriter(new StringWriter()), new PrintWriter(err, true))
                .execute("fails");
    }

    @Test
    void whatTheUserMustFixExits2AndWhatFailedWhileRunningExits1BothWithTheirMessageOnly() {
        StringWriter err = new StringWriter();
        assertThat(
                        run(
                                new IllegalStateException(
                                        "wrapped", new ConfigException("missing key 'target.url'")),
                                err))
                .isEqualTo(2);
        assertThat(err.toString())
                .isEqualTo("error: missing key 'target.url'" + System.lineSeparator());

        StringWriter err2 = new StringWriter();
        assertThat(
                        run(
                                new PipelineException(
                                        "target db@host:5432: permission denied",
                                        new SQLException("x")),
                                err2))
                .isEqualTo(1);
        assertThat(err2.toString())
                .isEqualTo(
                        "error: target db@host:5432: permission denied" + System.lineSeparator());
    }

    @Test
    void everyProductCommandIsOfferedAndTheToolsWhenTheirServicesArePresent() {
        assertThat(Main.commandLine().getSubcommands().keySet())
                .contains(
                        "extract-load",
                        "transform",
                        "verify",
                        "status",
                        "resnapshot",
                        "help",
                        "demo",
                        "bench");
    }
}
