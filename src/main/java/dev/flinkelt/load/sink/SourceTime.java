package dev.flinkelt.load.sink;

import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;

/** A source commit time ({@code _source_ts}) as a {@code timestamptz} literal. */
final class SourceTime {
    private static final DateTimeFormatter FORMAT =
            DateTimeFormatter.ofPattern("uuuu-MM-dd HH:mm:ss.SSSSSS'+00'").withZone(ZoneOffset.UTC);

    private SourceTime() {}

    /** {@code micros} since the Unix epoch, in UTC whatever the session's time zone. */
    static String text(long micros) {
        return FORMAT.format(
                Instant.ofEpochSecond(
                        Math.floorDiv(micros, 1_000_000L),
                        Math.floorMod(micros, 1_000_000L) * 1_000L));
    }
}
