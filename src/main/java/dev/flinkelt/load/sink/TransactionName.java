package dev.flinkelt.load.sink;

import dev.flinkelt.config.Identifiers;
import dev.flinkelt.config.PipelineConfig;

import java.util.Optional;

/**
 * The global id of one sink transaction, as {@code PREPARE TRANSACTION} gets it: {@code
 * flink-elt:<slot>:<pipeline hash>:<subtask>:<checkpoint>:<run>}.
 *
 * <p>The pipeline part (slot plus a hash of warehouse database, raw schema and slot) keeps
 * pipelines that share a warehouse server apart, so recovery never touches another pipeline's
 * transactions. {@code checkpoint} is one more than the last checkpoint the writer had taken part
 * in when the transaction began: a transaction prepared after checkpoint {@code c} completed is
 * named {@code > c}, one prepared at or before it {@code <= c}. {@code run} is random per writer
 * start, so a late PREPARE of a writer that was already replaced can never collide with a name its
 * successor uses.
 */
public record TransactionName(String pipeline, int subtask, long checkpoint, String run) {
    static final String PREFIX = "flink-elt";

    public String gid() {
        return PREFIX + ":" + pipeline + ":" + subtask + ":" + checkpoint + ":" + run;
    }

    /** The pipeline part of the names of {@code config}'s sink transactions. */
    public static String pipelineOf(PipelineConfig config) {
        return config.slot
                + ":"
                + hash(
                        config.target.database()
                                + "\u0000"
                                + config.rawSchema
                                + "\u0000"
                                + config.slot);
    }

    /** The name a gid stands for, or empty when it is not a flink-elt sink transaction. */
    public static Optional<TransactionName> parse(String gid) {
        String[] p = gid.split(":", -1);
        if (p.length != 6 || !PREFIX.equals(p[0])) {
            return Optional.empty();
        }
        try {
            return Optional.of(
                    new TransactionName(
                            p[1] + ":" + p[2], Integer.parseInt(p[3]), Long.parseLong(p[4]), p[5]));
        } catch (NumberFormatException e) {
            return Optional.empty();
        }
    }

    private static String hash(String s) {
        return Identifiers.digest(s, 4);
    }
}
