package dev.flinkelt.cli;

import dev.flinkelt.config.ConfigException;
import dev.flinkelt.config.PipelineException;

import org.apache.flink.streaming.api.environment.LocalStreamEnvironment;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import picocli.CommandLine;
import picocli.CommandLine.Command;

import java.io.PrintWriter;
import java.util.ServiceLoader;

/**
 * Entry point of both jars: {@code java -jar target/flink-elt.jar <command>} or {@code flink run
 * ... <command>}.
 */
@Command(
        name = "flink-elt",
        mixinStandardHelpOptions = true,
        version = "flink-elt 0.1.0",
        description =
                "Exactly-once PostgreSQL change capture into a PostgreSQL warehouse, on Apache Flink.")
public final class Main implements Runnable {
    public static final int EXIT_BAD_INPUT = 2;
    static final int EXIT_FAILED = 1;

    public static void main(String[] args) {
        int code = run(args);
        if (StreamExecutionEnvironment.getExecutionEnvironment()
                instanceof LocalStreamEnvironment) {
            System.exit(code); // java -jar: the exit code is the result
        }
        // inside Flink (flink run, REST, application mode) the main method may run in the
        // JobManager: exiting
        // would end it; a failure is reported by throwing instead
        if (code != 0) {
            throw new IllegalStateException(
                    "flink-elt "
                            + String.join(" ", args)
                            + " failed (exit code "
                            + code
                            + "); see the message above");
        }
    }

    public static int run(String... args) {
        return run(new PrintWriter(System.out, true), new PrintWriter(System.err, true), args);
    }

    public static int run(PrintWriter out, PrintWriter err, String... args) {
        return configure(commandLine(), out, err).execute(args);
    }

    /**
     * Output streams and the exit codes of failures: 2 for what the user must fix, 1 for what
     * failed while running.
     */
    static CommandLine configure(CommandLine cli, PrintWriter out, PrintWriter err) {
        cli.setOut(out);
        cli.setErr(err);
        cli.setExecutionExceptionHandler(
                (e, cmd, parsed) -> {
                    Throwable root = e;
                    while (!(root instanceof ConfigException || root instanceof PipelineException)
                            && root.getCause() != null
                            && root.getCause() != root) {
                        root = root.getCause();
                    }
                    if (root instanceof ConfigException || root instanceof PipelineException) {
                        cmd.getErr().println("error: " + root.getMessage());
                        return root instanceof ConfigException ? EXIT_BAD_INPUT : EXIT_FAILED;
                    }
                    throw e;
                });
        return cli;
    }

    /** The command line with every command this jar carries. */
    public static CommandLine commandLine() {
        CommandLine cli = new CommandLine(new Main());
        // the tools first (demo, bench: only in the self-contained jar), then the product's
        // commands
        ServiceLoader.load(ToolCommand.class).forEach(cli::addSubcommand);
        for (Object command :
                new Object[] {
                    new ExtractLoadCommand(),
                    new TransformCommand(),
                    new CheckCommand(),
                    new VerifyCommand(),
                    new StatusCommand(),
                    new ResnapshotCommand(),
                    new CommandLine.HelpCommand()
                }) {
            cli.addSubcommand(command);
        }
        return cli;
    }

    @Override
    public void run() {
        commandLine().usage(System.out);
    }
}
