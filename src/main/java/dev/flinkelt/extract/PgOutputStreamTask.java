package dev.flinkelt.extract;

import dev.flinkelt.config.Identifiers;
import dev.flinkelt.extract.pgoutput.Lsns;
import dev.flinkelt.extract.pgoutput.PgOutputParser;
import dev.flinkelt.extract.pgoutput.StreamPosition;
import dev.flinkelt.pg.Connections;

import io.debezium.connector.base.ChangeEventQueue;
import io.debezium.pipeline.DataChangeEvent;
import org.apache.flink.cdc.connectors.base.source.meta.offset.Offset;
import org.apache.flink.cdc.connectors.base.source.meta.split.SourceSplitBase;
import org.apache.flink.cdc.connectors.base.source.meta.split.StreamSplit;
import org.apache.flink.cdc.connectors.base.source.reader.external.FetchTask;
import org.apache.flink.runtime.execution.SuppressRestartsException;
import org.postgresql.PGConnection;
import org.postgresql.PGProperty;
import org.postgresql.replication.LogSequenceNumber;
import org.postgresql.replication.PGReplicationStream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.nio.ByteBuffer;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Collectors;

/**
 * Reads the slot with pgjdbc's replication protocol and decodes pgoutput itself ({@link
 * ChangeDecoder}): values go on as the text the source printed, under the same session settings
 * snapshots are read with ({@link Connections#TEXT_SESSION}), so a value has one text whichever
 * reader read it. Runs on the Flink CDC reader's fetch thread; positions committed by completed
 * checkpoints are confirmed to the slot from this thread.
 */
final class PgOutputStreamTask implements FetchTask<SourceSplitBase> {
    private static final Logger LOG = LoggerFactory.getLogger(PgOutputStreamTask.class);

    /** How long an idle stream waits before it looks again. */
    private static final long IDLE_MILLIS = 5;

    private final StreamSplit split;
    private final StreamSettings settings;
    private final AtomicLong toConfirm = new AtomicLong();
    private volatile boolean running;
    private volatile boolean stopped;

    PgOutputStreamTask(StreamSplit split, StreamSettings settings) {
        this.split = split;
        this.settings = settings;
    }

    @Override
    public void execute(Context context) throws Exception {
        if (stopped) {
            return;
        }
        running = true;
        ChangeEventQueue<DataChangeEvent> queue = context.getQueue();
        StreamPosition start = StreamPosition.fromOffset(split.getStartingOffset().getOffset());
        try (Connection catalog =
                        Connections.forJob(settings.source(), "source", "flink-elt stream types");
                Connection replication = openReplication()) {
            checkSlot(catalog, start);
            makeFailoverSlot(catalog, replication);
            boolean messages = catalog.getMetaData().getDatabaseMajorVersion() >= 14;
            PGReplicationStream stream =
                    startStream(replication, start, messages, existing(catalog));
            QueueOutput output =
                    new QueueOutput(
                            queue,
                            PgOutputFetchContext.BATCH,
                            settings.signalTable(),
                            start,
                            settings.heartbeatMillis());
            ChangeDecoder decoder =
                    new ChangeDecoder(
                            start,
                            settings.captured()::matches,
                            settings.messagePrefix(),
                            new CatalogTypes(() -> catalog),
                            output);
            LOG.info(
                    "streaming slot {} from {}{}",
                    settings.slot(),
                    Lsns.text(start.resumeLsn()),
                    start.insideTransaction()
                            ? " (" + start.txDone() + " message(s) of its transaction were emitted)"
                            : "");
            long confirmed = 0;
            while (running) {
                long confirm = toConfirm.get();
                if (confirm > confirmed) {
                    stream.setFlushedLSN(LogSequenceNumber.valueOf(confirm));
                    stream.setAppliedLSN(LogSequenceNumber.valueOf(confirm));
                    stream.forceUpdateStatus();
                    confirmed = confirm;
                }
                ByteBuffer message = stream.readPending();
                if (message == null) {
                    decoder.reached(stream.getLastReceiveLSN().asLong());
                    output.tick();
                    TimeUnit.MILLISECONDS.sleep(IDLE_MILLIS);
                    continue;
                }
                decoder.messageAt(stream.getLastReceiveLSN().asLong());
                PgOutputParser.parse(message, decoder);
                output.tick();
            }
        } finally {
            running = false;
        }
    }

    /**
     * Refuses a slot that is gone or confirmed past where this stream starts: the changes in
     * between could not be read, and going on would lose them without a word. Neither heals by
     * retrying (a slot is never made anew here), so the job stops instead of restarting: after a
     * failover to a standby without the slot (no failover slot before PostgreSQL 17), after a slot
     * was dropped or invalidated.
     */
    private void checkSlot(Connection catalog, StreamPosition start) throws SQLException {
        Long confirmedLsn = confirmedLsn(catalog, settings.slot());
        if (confirmedLsn == null) {
            throw new SuppressRestartsException(
                    new IllegalStateException(
                            "replication slot '"
                                    + settings.slot()
                                    + "' does not exist on the source "
                                    + settings.source()
                                    + ": the changes since the last checkpoint cannot be read (a"
                                    + " failover to a standby that does not hold the slot, or the slot"
                                    + " was dropped). Start the pipeline afresh (--fresh), which makes"
                                    + " the slot and reads every table again"));
        }
        if (confirmedLsn > start.confirmableLsn()) {
            throw new SuppressRestartsException(
                    new IllegalStateException(
                            "replication slot '"
                                    + settings.slot()
                                    + "' is confirmed up to "
                                    + Lsns.text(confirmedLsn)
                                    + ", past this job's position "
                                    + Lsns.text(start.resumeLsn())
                                    + ": the changes in between are gone (a restore from an older"
                                    + " checkpoint, or another client read the slot). Restore the latest"
                                    + " checkpoint, or start the pipeline afresh (--fresh)"));
        }
    }

    /**
     * PostgreSQL 17 on: a slot an earlier build made without the failover flag gets it, so standbys
     * that sync slots keep it (the slot is not active here yet, as ALTER needs).
     */
    private void makeFailoverSlot(Connection catalog, Connection replication) throws SQLException {
        if (catalog.getMetaData().getDatabaseMajorVersion() < 17) {
            return;
        }
        try (PreparedStatement ps =
                catalog.prepareStatement(
                        "SELECT NOT failover FROM pg_replication_slots WHERE slot_name = ?")) {
            ps.setString(1, settings.slot());
            try (ResultSet rs = ps.executeQuery()) {
                if (!rs.next() || !rs.getBoolean(1)) {
                    return;
                }
            }
        }
        try (Statement st = replication.createStatement()) {
            st.execute(
                    "ALTER_REPLICATION_SLOT "
                            + Identifiers.quote(settings.slot())
                            + " ( FAILOVER true )");
        }
        LOG.info("replication slot {} is now a failover slot", settings.slot());
    }

    /** The slot's {@code confirmed_flush_lsn} in this database, or null when there is no slot. */
    static Long confirmedLsn(Connection conn, String slot) throws SQLException {
        try (PreparedStatement ps =
                conn.prepareStatement(
                        "SELECT (confirmed_flush_lsn - '0/0')::bigint FROM pg_replication_slots"
                                + " WHERE slot_name = ? AND database = current_database()")) {
            ps.setString(1, slot);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? rs.getLong(1) : null;
            }
        }
    }

    private Connection openReplication() throws SQLException {
        Properties p = new Properties();
        PGProperty.REPLICATION.set(p, "database");
        PGProperty.PREFER_QUERY_MODE.set(p, "simple");
        PGProperty.ASSUME_MIN_SERVER_VERSION.set(p, "10");
        p.setProperty("ApplicationName", "flink-elt stream " + settings.slot());
        Connection c = Connections.open(settings.source(), "source", p);
        try (Statement st = c.createStatement()) {
            // the walsender prints values with these settings, as snapshot reads do
            st.execute(Connections.TEXT_SESSION);
        } catch (SQLException e) {
            c.close();
            throw e;
        }
        return c;
    }

    /**
     * The pipeline's publications that exist: the insert-only one is missing where the user may not
     * create publications and the source's owner made the main one (pgoutput would fail on a
     * missing name).
     */
    private List<String> existing(Connection catalog) throws SQLException {
        List<String> out = new ArrayList<>();
        try (PreparedStatement ps =
                catalog.prepareStatement("SELECT 1 FROM pg_publication WHERE pubname = ?")) {
            for (String p : settings.publications()) {
                ps.setString(1, p);
                try (ResultSet rs = ps.executeQuery()) {
                    if (rs.next()) {
                        out.add(p);
                    }
                }
            }
        }
        if (out.isEmpty()) {
            throw new IllegalStateException(
                    "none of the publications "
                            + settings.publications()
                            + " exists on the source: the stream has nothing to read. Start the"
                            + " pipeline afresh (--fresh), which makes them, or have the source's"
                            + " owner create publication "
                            + settings.publications().get(0));
        }
        return out;
    }

    private PGReplicationStream startStream(
            Connection replication, StreamPosition start, boolean messages, List<String> names)
            throws SQLException {
        String publications =
                names.stream().map(Identifiers::quote).collect(Collectors.joining(","));
        var builder =
                replication
                        .unwrap(PGConnection.class)
                        .getReplicationAPI()
                        .replicationStream()
                        .logical()
                        .withSlotName(settings.slot())
                        .withStartPosition(LogSequenceNumber.valueOf(start.resumeLsn()))
                        .withSlotOption("proto_version", "1")
                        .withSlotOption("publication_names", publications)
                        // a server that died is noticed only when a status update fails to
                        // go out: this bounds how long a failover waits for it
                        .withStatusInterval(2, TimeUnit.SECONDS)
                        // the slot is confirmed only to positions of completed checkpoints, never
                        // to a keepalive's position the driver would report on its own
                        .withAutomaticFlush(false);
        if (messages) {
            builder = builder.withSlotOption("messages", true);
        }
        return builder.start();
    }

    /** Confirms {@code offset} (of a completed checkpoint) to the slot; any thread. */
    void confirm(Offset offset) {
        if (offset == null) {
            return;
        }
        long lsn = StreamPosition.fromOffset(offset.getOffset()).resumeLsn();
        toConfirm.accumulateAndGet(lsn, Math::max);
    }

    @Override
    public void close() {
        stopped = true;
        running = false;
    }

    @Override
    public boolean isRunning() {
        return running;
    }

    @Override
    public SourceSplitBase getSplit() {
        return split;
    }
}
