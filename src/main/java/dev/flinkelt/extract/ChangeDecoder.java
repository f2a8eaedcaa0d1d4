package dev.flinkelt.extract;

import dev.flinkelt.config.TableRef;
import dev.flinkelt.extract.pgoutput.LegacyOffset;
import dev.flinkelt.extract.pgoutput.Lsns;
import dev.flinkelt.extract.pgoutput.MessageHandler;
import dev.flinkelt.extract.pgoutput.Relation;
import dev.flinkelt.extract.pgoutput.StreamPosition;
import dev.flinkelt.extract.pgoutput.Tuple;
import dev.flinkelt.extract.pgoutput.TypeResolver;
import dev.flinkelt.pg.ColumnType;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;

/**
 * Turns pgoutput messages into {@link ChangeEvent}s with the values as the source printed them, and
 * keeps the {@link StreamPosition} after each. Relation messages give each table its row layout
 * (column names and exact types, numbered per table as they change); changes of tables the pipeline
 * does not capture are counted (positions stay exact) but not emitted.
 */
public final class ChangeDecoder implements MessageHandler {
    private static final Logger LOG = LoggerFactory.getLogger(ChangeDecoder.class);

    /** Where decoded events and positions go. */
    public interface Output {
        /**
         * An event; {@code after} is the position once it is emitted (the events of one message but
         * its last carry the position before that message: it comes again whole).
         */
        void emit(ChangeEvent e, StreamPosition after);

        /** The position moved without an event (a commit, a change of a table not captured). */
        void advance(StreamPosition position);
    }

    /** A table's row layout as one Relation message gave it. */
    private record Layout(String[] columns, String[] types, int number) {}

    /** What is known of a relation OID. */
    private record Rel(String table, boolean captured, Layout layout) {}

    private final Predicate<TableRef> captured;
    private final String messagePrefix;
    private final TypeResolver types;
    private final Output out;
    private final Map<Integer, Rel> relations = new HashMap<>();
    private final Map<Integer, String[]> typeNames = new HashMap<>();
    private final Map<String, Layout> layouts = new HashMap<>();
    private final List<ChangeEvent> pending = new ArrayList<>(2);

    private StreamPosition position;
    private long messageLsn;

    // the transaction being received
    private long txLsn;
    private long xid;
    private long commitMicros;
    private int done;
    private int skip;

    /** The Debezium offset the stream resumed from, while its transaction is skipped through. */
    private LegacyOffset legacy;

    private boolean legacyMarkSeen;
    private int legacyRepeated;

    /**
     * {@code start}: the position streaming starts from (the first {@code txDone} messages of its
     * transaction are not emitted again); {@code messagePrefix}: the prefix of logical decoding
     * messages meant for the pipeline.
     */
    public ChangeDecoder(
            StreamPosition start,
            Predicate<TableRef> captured,
            String messagePrefix,
            TypeResolver types,
            Output out) {
        this.position = start;
        this.captured = captured;
        this.messagePrefix = messagePrefix;
        this.types = types;
        this.out = out;
    }

    /** The WAL position of the message about to be parsed (from its XLogData header). */
    public void messageAt(long lsn) {
        this.messageLsn = lsn;
    }

    public StreamPosition position() {
        return position;
    }

    public boolean insideTransaction() {
        return txLsn != 0;
    }

    /**
     * Between transactions the stream has reached {@code lsn} (a keepalive): a restart there misses
     * nothing, since every transaction that commits before it was received.
     */
    public void reached(long lsn) {
        if (txLsn == 0 && lsn > position.resumeLsn()) {
            position = StreamPosition.at(lsn);
            out.advance(position);
        }
    }

    @Override
    public void begin(long finalLsn, long commitMicros, long xid) {
        this.txLsn = finalLsn;
        this.xid = xid;
        this.commitMicros = commitMicros;
        this.done = 0;
        StreamPosition start = position;
        this.skip = 0;
        this.legacy = null;
        if (start.legacy() != null) {
            beginAfterLegacy(start.legacy(), finalLsn, xid);
            return;
        }
        if (start.insideTransaction()) {
            // the transaction a restored position is inside of comes first, again, whole (the
            // slot is never confirmed past its commit); if another comes, its rest is gone
            if (start.txLsn() != finalLsn) {
                throw new IllegalStateException(
                        "the change stream resumed inside the transaction that commits at "
                                + Lsns.text(start.txLsn())
                                + ", but the slot sent one that commits at "
                                + Lsns.text(finalLsn)
                                + " first: the slot was moved past the checkpoint's position"
                                + " (by another client, or a restore from an older checkpoint), and"
                                + " the changes in between are lost. Start the pipeline afresh (--fresh)");
            }
            this.skip = start.txDone();
        }
    }

    /**
     * The first transaction after a restore from a Debezium offset: the one it was inside of, or a
     * later one when it was between transactions.
     */
    private void beginAfterLegacy(LegacyOffset from, long finalLsn, long xid) {
        position = StreamPosition.at(from.commitLsn());
        if (xid == from.xid()) {
            legacy = from;
            legacyMarkSeen = false;
            legacyRepeated = 0;
        } else if (from.insideTransaction()) {
            throw new IllegalStateException(
                    "the change stream resumed inside transaction "
                            + from.xid()
                            + " (an offset of an earlier version), but the slot sent transaction "
                            + xid
                            + " first: the changes in between are lost. Start the pipeline afresh"
                            + " (--fresh)");
        }
    }

    /**
     * Whether a data message of the transaction a Debezium offset was inside of was emitted before:
     * those before its last LSN, and the one it names there.
     */
    private boolean emittedBeforeLegacy(boolean change) {
        long lsn = messageLsn;
        if (lsn < legacy.lastLsn()) {
            return true;
        }
        if (lsn == legacy.lastLsn() && !legacyMarkSeen) {
            // at its last LSN Debezium had emitted the first data change, or (when it had not
            // processed a change there) the transactional message, which comes before the change
            boolean changeMarked = legacy.lastLsn() == legacy.processedLsn();
            legacyMarkSeen = change == changeMarked;
            return true;
        }
        if (lsn == legacy.lastLsn() && change) {
            legacyRepeated++; // another row of a multi-row insert: emitted perhaps, not lost
            return false;
        }
        legacy = null;
        return false;
    }

    @Override
    public void commit(long commitLsn, long endLsn, long commitMicros) {
        if (legacyRepeated > 0) {
            LOG.warn(
                    "resumed from an earlier version's offset inside a multi-row insert: {} row(s) at {}"
                            + " may be loaded twice (the offset does not tell how many were emitted)",
                    legacyRepeated,
                    Lsns.text(messageLsn));
        }
        legacy = null;
        legacyRepeated = 0;
        txLsn = 0;
        position = StreamPosition.at(Math.max(endLsn, position.resumeLsn()));
        out.advance(position);
    }

    @Override
    public void relation(Relation r) {
        TableRef ref = new TableRef(r.namespace(), r.name());
        String table = ref.dotted();
        int n = r.columns().size();
        String[] columns = new String[n];
        String[] typeTexts = new String[n];
        for (int i = 0; i < n; i++) {
            Relation.Column c = r.columns().get(i);
            columns[i] = c.name();
            String[] named = typeNames.get(c.typeOid());
            ColumnType t =
                    types.resolve(
                            c.typeOid(),
                            c.typmod(),
                            named == null ? null : named[0],
                            named == null ? null : named[1]);
            typeTexts[i] = t.encode(c.key());
        }
        Layout known = layouts.get(table);
        Layout layout =
                known != null
                                && Arrays.equals(known.columns(), columns)
                                && Arrays.equals(known.types(), typeTexts)
                        ? known
                        : new Layout(columns, typeTexts, known == null ? 1 : known.number() + 1);
        layouts.put(table, layout);
        relations.put(r.oid(), new Rel(table, captured.test(ref), layout));
    }

    @Override
    public void type(int oid, String namespace, String name) {
        typeNames.put(oid, new String[] {namespace, name});
    }

    @Override
    public void insert(int relation, Tuple row) {
        Rel rel = rel(relation);
        if (rel.captured()) {
            pending.add(event(rel, ChangeEvent.INSERT, row.values(), row.unchanged()));
        }
        flush(true);
    }

    @Override
    public void update(int relation, Tuple old, boolean oldIsFullRow, Tuple row) {
        Rel rel = rel(relation);
        if (rel.captured()) {
            String[] values = row.values();
            boolean[] unchanged = row.unchanged();
            if (unchanged != null && old != null && oldIsFullRow) {
                // under REPLICA IDENTITY FULL the old row is whole: it has the values not sent
                unchanged = fill(values, unchanged, old);
            }
            if (old != null) {
                pending.add(event(rel, ChangeEvent.BEFORE, old.values(), old.unchanged()));
            }
            pending.add(event(rel, ChangeEvent.UPDATE, values, unchanged));
        }
        flush(true);
    }

    @Override
    public void delete(int relation, Tuple old, boolean oldIsFullRow) {
        Rel rel = rel(relation);
        if (rel.captured()) {
            pending.add(event(rel, ChangeEvent.DELETE, old.values(), null));
        }
        flush(true);
    }

    @Override
    public void truncate(int[] rels, boolean cascade, boolean restartIdentity) {
        for (int oid : rels) {
            Rel rel = rel(oid);
            if (rel.captured()) {
                ChangeEvent e = event(rel, ChangeEvent.TRUNCATE, new String[0], null);
                e.columns = null; // no column to map onto the raw table
                e.types = null;
                e.layout = 0;
                pending.add(e);
            }
        }
        flush(true);
    }

    @Override
    public void message(boolean transactional, long lsn, String prefix, byte[] content) {
        if (!transactional) {
            return; // not inside a transaction, so not ordered with the changes: not ours
        }
        if (prefix.equals(messagePrefix)) {
            ChangeEvent e = new ChangeEvent();
            e.op = ChangeEvent.MESSAGE;
            e.table = prefix;
            e.values = new String[] {new String(content, StandardCharsets.UTF_8)};
            stamp(e, lsn);
            pending.add(e);
        }
        flush(false);
    }

    /**
     * Counts one data message ({@code change}: a row change, not a message) and emits what it made;
     * skipped when a restored position says it was emitted before.
     */
    private void flush(boolean change) {
        if (txLsn == 0) {
            throw new IllegalStateException("pgoutput data message outside a transaction");
        }
        StreamPosition before = position;
        done++;
        StreamPosition after = StreamPosition.inside(txLsn, done);
        position = after;
        if (done <= skip || (legacy != null && emittedBeforeLegacy(change))) {
            pending.clear();
            return;
        }
        if (pending.isEmpty()) {
            out.advance(after);
            return;
        }
        for (int i = 0; i < pending.size(); i++) {
            out.emit(pending.get(i), i == pending.size() - 1 ? after : before);
        }
        pending.clear();
    }

    private Rel rel(int oid) {
        Rel rel = relations.get(oid);
        if (rel == null) {
            throw new IllegalStateException(
                    "pgoutput change of relation " + oid + " before its Relation message");
        }
        return rel;
    }

    private ChangeEvent event(Rel rel, char op, String[] values, boolean[] unchanged) {
        ChangeEvent e = new ChangeEvent();
        e.table = rel.table();
        e.op = op;
        e.values = values;
        e.unchanged = unchanged;
        e.columns = rel.layout().columns();
        e.types = rel.layout().types();
        e.layout = rel.layout().number();
        stamp(e, messageLsn);
        return e;
    }

    /**
     * The change's position, transaction and commit time; {@code seq} holds the transaction's
     * commit LSN (the order the stream delivers transactions in) until the keyed stage numbers the
     * key's events.
     */
    private void stamp(ChangeEvent e, long lsn) {
        e.lsn = lsn;
        e.seq = txLsn;
        e.txId = xid;
        e.sourceTsMicros = commitMicros;
    }

    /** The new row's unchanged values taken from the whole old row; null when none is left. */
    private static boolean[] fill(String[] values, boolean[] unchanged, Tuple old) {
        boolean left = false;
        for (int i = 0; i < unchanged.length; i++) {
            if (unchanged[i]) {
                if (i < old.values().length && (old.unchanged() == null || !old.unchanged()[i])) {
                    values[i] = old.values()[i];
                    unchanged[i] = false;
                } else {
                    left = true;
                }
            }
        }
        return left ? unchanged : null;
    }
}
