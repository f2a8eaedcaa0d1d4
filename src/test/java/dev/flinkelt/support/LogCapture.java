package dev.flinkelt.support;

import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.core.Appender;
import org.apache.logging.log4j.core.LoggerContext;
import org.apache.logging.log4j.core.appender.WriterAppender;
import org.apache.logging.log4j.core.config.Configuration;
import org.apache.logging.log4j.core.layout.PatternLayout;

import java.io.StringWriter;

/**
 * Everything the test JVM logs (the MiniCluster's tasks included) from now until {@link #close},
 * with stack traces.
 */
public final class LogCapture implements AutoCloseable {
    private final StringWriter out = new StringWriter();
    private final Appender appender;
    private final LoggerContext context = (LoggerContext) LogManager.getContext(false);

    public LogCapture(String name) {
        appender =
                WriterAppender.newBuilder()
                        .setName(name)
                        .setTarget(out)
                        .setLayout(
                                PatternLayout.newBuilder()
                                        .withPattern("%p %c - %m%n%throwable")
                                        .build())
                        .build();
        appender.start();
        Configuration config = context.getConfiguration();
        config.addAppender(appender);
        config.getRootLogger().addAppender(appender, null, null);
        context.updateLoggers();
    }

    public String text() {
        synchronized (out) {
            return out.toString();
        }
    }

    @Override
    public void close() {
        context.getConfiguration().getRootLogger().removeAppender(appender.getName());
        context.updateLoggers();
        appender.stop();
    }
}
