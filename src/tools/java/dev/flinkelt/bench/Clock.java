package dev.flinkelt.bench;

import java.time.Instant;

/**
 * Wall-clock time in µs since the epoch, comparable with the servers' commit timestamps (same
 * machine).
 */
final class Clock {
    private Clock() {}

    static long micros() {
        Instant now = Instant.now();
        return now.getEpochSecond() * 1_000_000L + now.getNano() / 1000;
    }
}
