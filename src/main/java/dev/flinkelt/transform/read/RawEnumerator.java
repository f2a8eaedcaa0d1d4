package dev.flinkelt.transform.read;

import dev.flinkelt.config.PgEndpoint;
import dev.flinkelt.config.TableRef;
import dev.flinkelt.pg.Connections;
import dev.flinkelt.raw.RawCatalog;
import dev.flinkelt.raw.RawNames;
import dev.flinkelt.raw.RawTables;

import org.apache.flink.api.connector.source.SplitEnumerator;
import org.apache.flink.api.connector.source.SplitEnumeratorContext;
import org.apache.flink.api.connector.source.SplitsAssignment;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * Hands each raw table to one reader (by its name's hash, so a table stays with a subtask), once.
 * Streaming, it looks for new raw tables every few seconds, so a table extract-load creates later
 * is read without a restart; a batch read takes the tables it was given and one horizon for all of
 * them.
 */
final class RawEnumerator implements SplitEnumerator<RawSplit, Set<String>> {
    private static final Logger LOG = LoggerFactory.getLogger(RawEnumerator.class);

    private final SplitEnumeratorContext<RawSplit> context;
    private final PgEndpoint warehouse;
    private final String rawSchema;
    private final List<String> batchTables;
    private final long discoveryMillis;
    private final Set<String> assigned;
    private final Map<Integer, List<RawSplit>> pending = new HashMap<>();
    private boolean discovered;
    private final Set<String> warned = new HashSet<>();

    RawEnumerator(
            SplitEnumeratorContext<RawSplit> context,
            PgEndpoint warehouse,
            String rawSchema,
            List<String> batchTables,
            long discoveryMillis,
            Set<String> assigned) {
        this.context = context;
        this.warehouse = warehouse;
        this.rawSchema = rawSchema;
        this.batchTables = batchTables;
        this.discoveryMillis = discoveryMillis;
        this.assigned = new TreeSet<>(assigned);
    }

    @Override
    public void start() {
        if (batchTables != null) {
            context.callAsync(this::batchSplits, this::onSplits);
        } else {
            context.callAsync(this::newSplits, this::onSplits, 0, discoveryMillis);
        }
    }

    /**
     * Raw tables not handed out yet; those made by an earlier version first get their {@code
     * _load_xid} column.
     */
    private List<RawSplit> newSplits() throws SQLException {
        List<RawSplit> out = new ArrayList<>();
        try (Connection c =
                Connections.forJob(warehouse, "target", "flink-elt transform discovery")) {
            Set<String> known = knownTables();
            for (Map.Entry<String, TableRef> raw :
                    RawCatalog.keyedSources(c, rawSchema).entrySet()) {
                String t = raw.getKey();
                if (known.contains(t)) {
                    continue;
                }
                String legacy = RawNames.legacy(raw.getValue());
                if (!legacy.equals(t) && known.contains(legacy)) {
                    throw new RenamedRawTable(rawSchema, legacy, t);
                }
                try {
                    prepare(c, t);
                } catch (SQLException e) {
                    if (warned.add(
                            t + "\n" + e.getMessage())) { // once per table and cause, not every
                        // round
                        LOG.warn(
                                "raw table {}.{} is not read yet: preparing it failed ({}); trying again every {} ms",
                                rawSchema,
                                t,
                                e.getMessage(),
                                discoveryMillis);
                    }
                    continue;
                }
                out.add(new RawSplit(t, RawSplit.START, null));
            }
        }
        return out;
    }

    /** Every table of the batch read, up to one horizon taken now. */
    private List<RawSplit> batchSplits() throws SQLException {
        try (Connection c =
                Connections.forJob(warehouse, "target", "flink-elt transform discovery")) {
            for (String t : batchTables) {
                prepare(c, t);
            }
            long h = RawQueries.horizon(c);
            return batchTables.stream().map(t -> new RawSplit(t, RawSplit.START, h)).toList();
        }
    }

    /**
     * A raw table made by an earlier version first gets its {@code _load_xid} column, index and
     * numbered legacy rows.
     */
    private void prepare(Connection c, String table) throws SQLException {
        String qualified = RawQueries.qualified(rawSchema, table);
        RawTables.ensureLoadXid(c, qualified, true);
        long legacy = LegacyRows.number(c, qualified);
        if (legacy > 0) {
            LOG.info(
                    "raw table {}.{}: {} rows loaded before _load_xid existed numbered for reading",
                    rawSchema,
                    table,
                    legacy);
        }
    }

    private synchronized Set<String> knownTables() {
        Set<String> known = new TreeSet<>(assigned);
        pending.values().forEach(l -> l.forEach(s -> known.add(s.table)));
        return known;
    }

    private void onSplits(List<RawSplit> splits, Throwable error) {
        if (error instanceof RenamedRawTable) {
            throw (RenamedRawTable) error; // fails the job: reading on would count rows twice
        }
        if (error != null) {
            if (batchTables != null) {
                throw new IllegalStateException(
                        "listing the raw tables failed: " + error.getMessage(), error);
            }
            LOG.warn("looking for new raw tables failed ({}); trying again", error.getMessage());
            return;
        }
        synchronized (this) {
            for (RawSplit s : splits) {
                if (!assigned.contains(s.table)) {
                    pending.computeIfAbsent(owner(s.table), k -> new ArrayList<>()).add(s);
                }
            }
        }
        if (!splits.isEmpty()) {
            LOG.info("raw tables to read: {}", splits.stream().map(s -> s.table).toList());
        }
        discovered = true;
        assignPending();
    }

    private int owner(String table) {
        return Math.floorMod(table.hashCode(), context.currentParallelism());
    }

    private synchronized void assignPending() {
        Map<Integer, List<RawSplit>> now = new HashMap<>();
        for (Integer reader : context.registeredReaders().keySet()) {
            List<RawSplit> splits = pending.remove(reader);
            if (splits != null && !splits.isEmpty()) {
                now.put(reader, splits);
                splits.forEach(s -> assigned.add(s.table));
            }
        }
        if (!now.isEmpty()) {
            context.assignSplits(new SplitsAssignment<>(now));
        }
        if (batchTables != null && discovered) {
            for (Integer reader : context.registeredReaders().keySet()) {
                if (!pending.containsKey(reader)) {
                    context.signalNoMoreSplits(reader);
                }
            }
        }
    }

    @Override
    public void handleSplitRequest(int subtaskId, String requesterHostname) {}

    @Override
    public synchronized void addSplitsBack(List<RawSplit> splits, int subtaskId) {
        // a reader failed before its next checkpoint: its tables go back where they came from, at
        // the checkpointed position
        for (RawSplit s : splits) {
            assigned.remove(s.table);
            pending.computeIfAbsent(owner(s.table), k -> new ArrayList<>()).add(s);
        }
    }

    @Override
    public void addReader(int subtaskId) {
        assignPending();
    }

    @Override
    public synchronized Set<String> snapshotState(long checkpointId) {
        return new TreeSet<>(assigned);
    }

    @Override
    public void close() {}

    /**
     * extract-load renamed a raw table this job has read under its old name (unique raw names): its
     * rows would be read again from the start under the new name.
     */
    static final class RenamedRawTable extends IllegalStateException {
        RenamedRawTable(String rawSchema, String legacy, String unique) {
            super(
                    "raw table "
                            + rawSchema
                            + "."
                            + legacy
                            + " is now "
                            + rawSchema
                            + "."
                            + unique
                            + " (extract-load gives raw tables unique names; README, Upgrade"
                            + " runbook). This job read it under its old name and would read every"
                            + " row again under the new one. Fix: start the transform with --fresh;"
                            + " SQL that names the old raw or mirror view must use the new name");
        }
    }
}
