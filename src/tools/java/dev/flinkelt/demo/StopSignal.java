package dev.flinkelt.demo;

import sun.misc.Signal;

import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Ctrl-C for the demo: the first one asks for an orderly stop (the JVM keeps running, so the
 * servers and the MiniCluster stay up until the demo has verified and closed them); a second one
 * exits at once.
 */
final class StopSignal {
    private StopSignal() {}

    static void onInterrupt(Runnable stop) {
        AtomicBoolean asked = new AtomicBoolean();
        Signal.handle(
                new Signal("INT"),
                sig -> {
                    if (asked.getAndSet(true)) {
                        Runtime.getRuntime().halt(130);
                    }
                    stop.run();
                });
    }
}
