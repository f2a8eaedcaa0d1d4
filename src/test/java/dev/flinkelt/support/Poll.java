package dev.flinkelt.support;

import java.time.Duration;
import java.util.function.Supplier;

/** Waits for a condition with a deadline, instead of sleeping a guessed time. */
public final class Poll {
    private Poll() {}

    public interface Check {
        boolean ok() throws Exception;
    }

    public interface Assertion {
        void check() throws Exception;
    }

    /**
     * Retries {@code assertion} until it passes; on timeout rethrows its last failure (with its
     * diff).
     */
    public static void untilAsserted(Duration timeout, Assertion assertion) throws Exception {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (true) {
            try {
                assertion.check();
                return;
            } catch (AssertionError e) {
                if (System.nanoTime() > deadline) {
                    throw e;
                }
            }
            Thread.sleep(200);
        }
    }

    public static void until(Duration timeout, Supplier<String> what, Check check)
            throws Exception {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!check.ok()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError(
                        "timed out after " + timeout.toSeconds() + "s waiting for " + what.get());
            }
            Thread.sleep(200);
        }
    }
}
