package dev.flinkelt.track;

import dev.flinkelt.config.ConfigException;
import dev.flinkelt.config.Identifiers;
import dev.flinkelt.config.TableRef;
import dev.flinkelt.pg.Connections;
import dev.flinkelt.pg.SourceCatalog;
import dev.flinkelt.pg.SqlErrors;
import dev.flinkelt.pg.TableSchema;
import dev.flinkelt.raw.RawColumns;
import dev.flinkelt.raw.RawNames;
import dev.flinkelt.raw.RawTableComment;
import dev.flinkelt.raw.RawTables;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.function.Supplier;

/**
 * Looks for tables that match {@code source.tables} but are not captured yet (created after the
 * start, or named in the config since the last run) and captures each: its raw table is made, and
 * in one source transaction it joins the publication and a {@code capture} signal is written, so
 * the table's changes stream from that point and its rows up to it are read by a one-table snapshot
 * ({@link Snapshotter}) while the others keep streaming. A table that can not be captured (a column
 * named like a raw metadata column, a type the warehouse cannot have) is logged once and left out;
 * the others go on. A captured table that is gone gets the position of its drop recorded in its raw
 * table's comment; the raw table stays.
 */
final class Discovery {
    private static final Logger LOG = LoggerFactory.getLogger(Discovery.class);

    private final Tracking tracking;
    private final Supplier<Connection> source;
    private final Supplier<Connection> warehouse;
    private final Set<String> refused = new HashSet<>();

    /** Tables this user may not add to the publication: captured once its owner has. */
    private final Set<String> awaitingOwner = new HashSet<>();

    private boolean streaming;
    private long rounds;

    /** Refused tables are looked at again after this many rounds (a minute). */
    private static final int RETRY_REFUSED_ROUNDS = 12;

    private long firstSlotLsn = -1;

    Discovery(Tracking tracking, Supplier<Connection> source, Supplier<Connection> warehouse) {
        this.tracking = tracking;
        this.source = source;
        this.warehouse = warehouse;
    }

    void run() throws SQLException {
        Connection src = source.get();
        if (!streaming && !streaming(src)) {
            return;
        }
        streaming = true;
        SourceCatalog catalog = new SourceCatalog(src);
        List<TableRef> matching =
                catalog.capturedTables(tracking.patterns(), false, tracking.signals().table());
        Set<String> published = new HashSet<>();
        for (String publication : Publications.of(tracking.publication())) {
            Publications.published(src, publication).forEach(t -> published.add(t.dotted()));
        }
        if (++rounds % RETRY_REFUSED_ROUNDS == 0) {
            refused.clear(); // a primary key added since, a table renamed to a name the source can
            // take
        }
        for (TableRef t : matching) {
            if (refused.contains(t.dotted())) {
                continue;
            }
            try {
                if (!published.contains(t.dotted())) {
                    if (awaitingOwner.contains(t.dotted())) {
                        continue;
                    }
                    capture(src, catalog, t, true);
                } else if (awaitingOwner.contains(t.dotted())) {
                    // the owner added it: its raw table is there from the refused try, its rows
                    // are not
                    capture(src, catalog, t, false);
                    awaitingOwner.remove(t.dotted());
                } else if (!tracking.tables().containsKey(t.dotted()) && !hasRawTable(t)) {
                    capture(
                            src, catalog, t,
                            false); // published under another name before (ALTER TABLE … RENAME)
                }
            } catch (SQLException e) {
                if (SqlErrors.INSUFFICIENT_PRIVILEGE.equals(e.getSQLState())) {
                    // a publication made by someone else: its owner adds the table, and the next
                    // round after that captures it
                    awaitingOwner.add(t.dotted());
                    LOG.warn(
                            "table {} matches source.tables but is not captured yet: this user may not"
                                    + " add it to publication {}. It is captured (with a snapshot) as soon"
                                    + " as the publication's owner runs: {}",
                            t,
                            tracking.publication(),
                            GivenPublication.addStatement(tracking.publication(), t));
                    continue;
                }
                // e.g. the lock timeout on a busy table: the next round tries again; the other
                // tables go on
                LOG.warn(
                        "capturing table {} failed (SQLSTATE {}); trying again next round",
                        t,
                        e.getSQLState());
            }
        }
        recordDrops(src, catalog, published);
        for (TableRef t : identified(src)) {
            try {
                moveToEveryOperation(src, t);
            } catch (SQLException e) {
                LOG.warn(
                        "moving table {} to publication {} failed (SQLSTATE {}); trying again next round",
                        t,
                        tracking.publication(),
                        e.getSQLState());
            }
        }
    }

    /**
     * Tables the insert-only publication holds that have a replica identity now (REPLICA IDENTITY
     * FULL or USING INDEX set, a primary key added).
     */
    private List<TableRef> identified(Connection src) throws SQLException {
        List<TableRef> out = new ArrayList<>();
        try (PreparedStatement ps =
                src.prepareStatement(
                        "SELECT t.schemaname, t.tablename FROM pg_publication_tables t"
                                + " JOIN pg_namespace n ON n.nspname = t.schemaname"
                                + " JOIN pg_class c ON c.relnamespace = n.oid AND c.relname = t.tablename"
                                + " WHERE t.pubname = ? AND (c.relreplident IN ('f', 'i') OR (c.relreplident = 'd'"
                                + " AND EXISTS (SELECT 1 FROM pg_index i WHERE i.indrelid = c.oid AND i.indisprimary)))")) {
            ps.setString(1, Publications.insertsOf(tracking.publication()));
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    out.add(new TableRef(rs.getString(1), rs.getString(2)));
                }
            }
        }
        return out;
    }

    /**
     * Moves a table that has a replica identity now to the publication of every operation. Its
     * updates and deletes before the move were not published: the table is captured again (its raw
     * rows end with a {@code t} row, a new snapshot follows), in the same source transaction that
     * briefly holds off its writers (no transaction spans the move).
     */
    private void moveToEveryOperation(Connection src, TableRef t) throws SQLException {
        boolean auto = src.getAutoCommit();
        src.setAutoCommit(false);
        try (Statement st = src.createStatement()) {
            st.execute("SET LOCAL lock_timeout = '2s'");
            st.execute("LOCK TABLE " + t.quoted() + " IN SHARE MODE");
            st.execute(
                    "ALTER PUBLICATION "
                            + Identifiers.quote(Publications.insertsOf(tracking.publication()))
                            + " DROP TABLE "
                            + t.quoted());
            st.execute(
                    "ALTER PUBLICATION "
                            + Identifiers.quote(tracking.publication())
                            + " ADD TABLE "
                            + t.quoted());
            Signals.send(
                    src,
                    tracking.signals(),
                    tracking.slot(),
                    Signals.CAPTURE,
                    t.dotted(),
                    Signals.RECAPTURE);
            src.commit();
        } catch (SQLException e) {
            src.rollback();
            throw e;
        } finally {
            src.setAutoCommit(auto);
        }
        LOG.info(
                "table {} has a replica identity now: its updates and deletes are captured from here on,"
                        + " after a new snapshot",
                t);
    }

    /**
     * Whether the job reads the change stream: its slot has moved since the first look. The slot
     * moves only when a checkpoint commits a position of the stream. A job restored from an earlier
     * version's checkpoint taken during Flink CDC's own snapshot finishes that snapshot first, and
     * a capture signal written then could be read by the snapshot of the signal table (as a row,
     * not as a change) and be lost; waiting costs a new table a few seconds.
     */
    private boolean streaming(Connection src) throws SQLException {
        try (PreparedStatement ps =
                src.prepareStatement(
                        "SELECT (confirmed_flush_lsn - '0/0')::bigint FROM pg_replication_slots WHERE slot_name = ?")) {
            ps.setString(1, tracking.slot());
            try (ResultSet rs = ps.executeQuery()) {
                if (!rs.next()) {
                    return false;
                }
                long lsn = rs.getLong(1);
                if (firstSlotLsn < 0) {
                    firstSlotLsn = lsn;
                }
                return lsn > firstSlotLsn;
            }
        }
    }

    private boolean hasRawTable(TableRef t) throws SQLException {
        RawTableComment.Parsed c =
                RawTableComment.read(
                        warehouse.get(), RawTables.qualified(tracking.schema().rawSchema(), t));
        return c != null && c.source().equals(t) && c.droppedBeforeLsn() < 0;
    }

    private void capture(Connection src, SourceCatalog catalog, TableRef t, boolean publish)
            throws SQLException {
        TableSchema schema;
        try {
            schema = catalog.describe(t, tracking.keyColumnsFor(t), RawColumns.METADATA);
        } catch (ConfigException e) {
            refused.add(t.dotted());
            LOG.warn(
                    "new table {} matches source.tables but is not captured (looked at again in a minute): {}",
                    t,
                    e.getMessage());
            return;
        }
        // a raw table from an earlier table of that name (dropped, then made again): the capture
        // ends its rows
        boolean recapture = rawRows(t);
        RawTables.ensure(
                warehouse.get(),
                tracking.schema().rawSchema(),
                List.of(schema),
                catalog.userTypes(),
                tracking.schema().missingTypesAsText());
        boolean auto = src.getAutoCommit();
        src.setAutoCommit(false);
        try (Statement st = src.createStatement()) {
            st.execute("SET LOCAL lock_timeout = '2s'"); // a long lock on the table: try again next
            // round, not stall
            if (publish) {
                // no transaction may write the table across the publication change: one that wrote
                // before it and
                // committed after the snapshot's select would be neither published nor selected.
                // SHARE waits for the
                // writers in flight and holds off new ones until this commits (milliseconds)
                st.execute("LOCK TABLE " + t.quoted() + " IN SHARE MODE");
                st.execute(
                        "ALTER PUBLICATION "
                                + Identifiers.quote(
                                        Publications.publicationFor(tracking.publication(), schema))
                                + " ADD TABLE "
                                + t.quoted());
            }
            Signals.send(
                    src,
                    tracking.signals(),
                    tracking.slot(),
                    Signals.CAPTURE,
                    t.dotted(),
                    recapture ? Signals.RECAPTURE : null);
            src.commit();
        } catch (SQLException e) {
            src.rollback();
            throw e;
        } finally {
            src.setAutoCommit(auto);
        }
        LOG.info(
                "captured table {} (created after the start or newly named in source.tables); its rows follow by a snapshot",
                t);
    }

    private boolean rawRows(TableRef t) throws SQLException {
        String raw = RawTables.qualified(tracking.schema().rawSchema(), t);
        if (!new SourceCatalog(warehouse.get())
                .exists(new TableRef(tracking.schema().rawSchema(), RawNames.of(t)))) {
            return false;
        }
        return Connections.rows(warehouse.get(), "SELECT EXISTS (SELECT 1 FROM " + raw + ")")
                .get(0)
                .equals("t");
    }

    /**
     * Raw tables of this pipeline whose source table is gone. A DROP TABLE also leaves the
     * publication, so only the sources not in it are looked up; a drop already recorded is in the
     * raw table's comment.
     */
    private void recordDrops(Connection src, SourceCatalog catalog, Set<String> published)
            throws SQLException {
        try (Statement st = warehouse.get().createStatement();
                ResultSet rs =
                        st.executeQuery(
                                "SELECT obj_description(c.oid, 'pg_class')"
                                        + " FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace WHERE n.nspname = "
                                        + Identifiers.literal(tracking.schema().rawSchema())
                                        + " AND c.relkind = 'r'")) {
            while (rs.next()) {
                RawTableComment.Parsed raw = RawTableComment.parse(rs.getString(1));
                if (raw != null
                        && raw.droppedBeforeLsn() < 0
                        && !published.contains(raw.source().dotted())
                        && !catalog.exists(raw.source())) {
                    recordDrop(src, raw.source());
                }
            }
        }
    }

    private void recordDrop(Connection src, TableRef t) throws SQLException {
        long lsn = SourcePreparer.currentLsn(src);
        RawTableComment.markDropped(warehouse.get(), tracking.schema().rawSchema(), t, lsn);
        LOG.info(
                "source table {} is gone; its raw table stays, its comment records the drop (before _lsn {})",
                t,
                lsn);
    }
}
