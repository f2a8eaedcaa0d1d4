package dev.flinkelt.support;

import java.time.Duration;
import java.util.function.Supplier;

/** Waits for a condition with a deadline, instead of sleeping a guessed time. */
public final class Poll {
    private Poll() {}

    public interface Check {
        boolean ok() throws Exception;
    }

    public static void until(Duration timeout, Supplier<String> what, Check check) throws Exception {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!check.ok()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("timed out after " + timeout.toSeconds() + "s waiting for " + what.get());
            }
            Thread.sleep(200);
        }
    }
}
