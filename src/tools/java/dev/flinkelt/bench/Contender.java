package dev.flinkelt.bench;

import dev.flinkelt.config.TableRef;
import dev.flinkelt.raw.RawNames;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

/**
 * One pipeline under test, with the settings it runs with. {@code jar} (null: this build) runs
 * flink-elt from another build, e.g. the previous release, to compare before and after in one run;
 * {@code snapshotReaders}: flink-elt's {@code snapshot-readers} (1: the setting left out, as builds
 * before it need).
 */
public record Contender(
        Kind kind, int parallelism, Duration checkpointInterval, Path jar, int snapshotReaders) {
    Contender(Kind kind, int parallelism, Duration checkpointInterval) {
        this(kind, parallelism, checkpointInterval, null, 1);
    }

    Contender(Kind kind, int parallelism, Duration checkpointInterval, Path jar) {
        this(kind, parallelism, checkpointInterval, jar, 1);
    }

    public enum Kind {
        COPY,
        LOGICAL_REPLICATION,
        FLINK_SQL,
        PER_ROW,
        FLINK_ELT
    }

    static final List<Contender> ALL =
            List.of(
                    new Contender(Kind.COPY, 1, Duration.ZERO),
                    new Contender(Kind.LOGICAL_REPLICATION, 1, Duration.ZERO),
                    new Contender(Kind.FLINK_SQL, 2, Duration.ofSeconds(10)),
                    new Contender(Kind.PER_ROW, 1, Duration.ZERO),
                    new Contender(Kind.FLINK_ELT, 1, Duration.ofSeconds(10)),
                    new Contender(Kind.FLINK_ELT, 2, Duration.ofSeconds(10)),
                    // snapshot windows read on several connections (track.RangeReads)
                    new Contender(Kind.FLINK_ELT, 2, Duration.ofSeconds(10), null, 2),
                    new Contender(Kind.FLINK_ELT, 2, Duration.ofSeconds(10), null, 4),
                    // visibility waits for the checkpoint that commits a change: the short end
                    new Contender(Kind.FLINK_ELT, 2, Duration.ofSeconds(1)),
                    new Contender(Kind.FLINK_ELT, 1, Duration.ofSeconds(60)),
                    new Contender(Kind.FLINK_ELT, 2, Duration.ofSeconds(60)));

    /** A short stable name, e.g. {@code flink-elt-p2-cp10s}. */
    String label() {
        return switch (kind) {
            case COPY -> "copy";
            case LOGICAL_REPLICATION -> "logical-replication";
            case FLINK_SQL -> "flink-sql";
            case PER_ROW -> "per-row";
            case FLINK_ELT ->
                    (jar == null ? "flink-elt" : "baseline")
                            + "-p"
                            + parallelism
                            + "-cp"
                            + checkpointInterval.toSeconds()
                            + "s"
                            + (snapshotReaders > 1 ? "-r" + snapshotReaders : "");
        };
    }

    /** Whether it follows changes after the snapshot (COPY and the per-row script copy once). */
    boolean streams() {
        return kind != Kind.COPY && kind != Kind.PER_ROW;
    }

    /** Whether the target keeps every change (flink-elt's raw table) rather than current state. */
    boolean keepsChanges() {
        return kind == Kind.FLINK_ELT;
    }

    /** The relation the contender writes on the target. */
    String targetRelation() {
        return keepsChanges()
                ? "\"raw\".\""
                        + RawNames.of(TableRef.parse(BenchTable.SCHEMA + "." + BenchTable.NAME))
                        + "\""
                : BenchTable.QUALIFIED;
    }

    /**
     * SQL for the moment a target row version became visible. The commit timestamp, except under
     * logical replication: its apply worker commits with the source's commit timestamp, so the
     * subscriber's table gets a column stamped by the apply itself (see {@link BenchRun}); that
     * moment is just before the commit, which favours logical replication by the time its commit
     * takes.
     */
    String visibleAt() {
        return kind == Kind.LOGICAL_REPLICATION ? "_seen" : "pg_xact_commit_timestamp(xmin)";
    }

    /** The same contender run from another build's jar. */
    Contender from(Path otherJar) {
        return new Contender(kind, parallelism, checkpointInterval, otherJar, snapshotReaders);
    }

    static Contender byLabel(String label) {
        return ALL.stream()
                .filter(c -> c.label().equals(label))
                .findFirst()
                .orElseThrow(
                        () ->
                                new IllegalArgumentException(
                                        "unknown contender "
                                                + label
                                                + "; choose from "
                                                + ALL.stream().map(Contender::label).toList()));
    }
}
