package dev.flinkelt.extractload;

import dev.flinkelt.config.PipelineConfig;
import dev.flinkelt.config.TableRef;
import dev.flinkelt.load.sink.LostCommitRepair;
import dev.flinkelt.pg.Connections;
import dev.flinkelt.pg.SourceCatalog;
import dev.flinkelt.raw.PausedTables;
import dev.flinkelt.track.Signals;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * The sink's repair of transactions the warehouse lost: a resnapshot request for every captured
 * table, sent in the change stream as {@code resnapshot --table} sends one. Paused tables are left
 * paused (their rows stop at the pause anyway; {@code resnapshot --table} resumes them).
 */
final class ReadEveryTableAgain implements LostCommitRepair {
    private static final long serialVersionUID = 1L;

    private final PipelineConfig config;

    ReadEveryTableAgain(PipelineConfig config) {
        this.config = config;
    }

    @Override
    public String readEveryTableAgain(Connection warehouse) throws SQLException {
        Set<String> paused = new HashSet<>();
        PausedTables.read(warehouse, config.rawSchema)
                .forEach(
                        (table, pause) -> {
                            if (pause.paused()) {
                                paused.add(table);
                            }
                        });
        try (Connection source =
                Connections.forJob(config.source, "source", "flink-elt sink repair")) {
            List<TableRef> tables =
                    new SourceCatalog(source)
                            .capturedTables(config.tables, true, config.signalTable);
            source.setAutoCommit(false);
            int n = 0;
            for (TableRef t : tables) {
                if (!paused.contains(t.dotted())) {
                    Signals.send(
                            source,
                            config.signals,
                            config.slot,
                            Signals.RESNAPSHOT,
                            t.dotted(),
                            null);
                    n++;
                }
            }
            source.commit();
            return n + " table(s) are";
        }
    }
}
