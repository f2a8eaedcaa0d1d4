package dev.flinkelt.load.sink;

import java.io.Serializable;
import java.sql.Connection;
import java.sql.SQLException;

/**
 * What the sink does when a restore finds transactions of completed checkpoints gone from the
 * warehouse (it failed over to a standby that had not received them): the source slot is past their
 * changes, so only reading the tables again brings their rows back. Given by the job (the sink does
 * not talk to the source).
 */
@FunctionalInterface
public interface LostCommitRepair extends Serializable {
    /**
     * Asks the pipeline to read every captured table again into a new generation; the request is
     * durable when this returns. {@code warehouse} is in an open transaction. Returns what was
     * requested, for the log (no row values).
     */
    String readEveryTableAgain(Connection warehouse) throws SQLException;
}
