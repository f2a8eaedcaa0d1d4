package dev.flinkelt.extract.pgoutput;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * Reads the messages of pgoutput's protocol version 1 (PostgreSQL's "Logical Replication Message
 * Formats"). Values stay the text the source's output functions printed (the stream is not asked
 * for binary), names stay exactly as the catalog has them; both arrive in the session's client
 * encoding, UTF-8.
 */
public final class PgOutputParser {
    /** Microseconds from the Unix epoch to PostgreSQL's, 2000-01-01. */
    static final long PG_EPOCH_MICROS = 946_684_800_000_000L;

    private PgOutputParser() {}

    /**
     * Calls {@code handler} for the message in {@code buf} (from its position). Messages a pipeline
     * does not use (Origin) are skipped; an unknown one fails: the stream would be read wrongly
     * from there on.
     */
    public static void parse(ByteBuffer buf, MessageHandler handler) {
        char kind = (char) buf.get();
        switch (kind) {
            case 'B' ->
                    handler.begin(buf.getLong(), micros(buf.getLong()), buf.getInt() & 0xffffffffL);
            case 'C' -> {
                buf.get(); // flags, unused
                handler.commit(buf.getLong(), buf.getLong(), micros(buf.getLong()));
            }
            case 'R' -> handler.relation(relation(buf));
            case 'Y' -> handler.type(buf.getInt(), string(buf), string(buf));
            case 'I' -> {
                int rel = buf.getInt();
                expect(buf, 'N');
                handler.insert(rel, tuple(buf));
            }
            case 'U' -> {
                int rel = buf.getInt();
                char next = (char) buf.get();
                Tuple old = null;
                boolean full = next == 'O';
                if (next == 'K' || next == 'O') {
                    old = tuple(buf);
                    next = (char) buf.get();
                }
                if (next != 'N') {
                    throw new IllegalStateException(
                            "pgoutput Update without a new row (got '" + next + "')");
                }
                handler.update(rel, old, full, tuple(buf));
            }
            case 'D' -> {
                int rel = buf.getInt();
                char next = (char) buf.get();
                if (next != 'K' && next != 'O') {
                    throw new IllegalStateException(
                            "pgoutput Delete without an old row (got '" + next + "')");
                }
                handler.delete(rel, tuple(buf), next == 'O');
            }
            case 'T' -> {
                int n = buf.getInt();
                int options = buf.get();
                int[] rels = new int[n];
                for (int i = 0; i < n; i++) {
                    rels[i] = buf.getInt();
                }
                handler.truncate(rels, (options & 1) != 0, (options & 2) != 0);
            }
            case 'M' -> {
                boolean transactional = (buf.get() & 1) != 0;
                long lsn = buf.getLong();
                String prefix = string(buf);
                byte[] content = new byte[buf.getInt()];
                buf.get(content);
                handler.message(transactional, lsn, prefix, content);
            }
            case 'O' -> {
                // Origin: where a replicated transaction came from; nothing to do
            }
            default ->
                    throw new IllegalStateException(
                            "unknown pgoutput message '"
                                    + kind
                                    + "' (protocol version 1 was asked for)");
        }
    }

    /** A timestamp of the protocol (microseconds since 2000-01-01) as Unix-epoch microseconds. */
    static long micros(long pgMicros) {
        return pgMicros + PG_EPOCH_MICROS;
    }

    private static void expect(ByteBuffer buf, char wanted) {
        char got = (char) buf.get();
        if (got != wanted) {
            throw new IllegalStateException(
                    "pgoutput: expected '" + wanted + "' but got '" + got + "'");
        }
    }

    private static Relation relation(ByteBuffer buf) {
        int oid = buf.getInt();
        String namespace = string(buf);
        String name = string(buf);
        char identity = (char) buf.get();
        int n = buf.getShort() & 0xffff;
        List<Relation.Column> columns = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            boolean key = (buf.get() & 1) != 0;
            columns.add(new Relation.Column(key, string(buf), buf.getInt(), buf.getInt()));
        }
        // the protocol sends an empty namespace for pg_catalog
        return new Relation(
                oid, namespace.isEmpty() ? "pg_catalog" : namespace, name, identity, columns);
    }

    private static Tuple tuple(ByteBuffer buf) {
        int n = buf.getShort() & 0xffff;
        String[] values = new String[n];
        boolean[] unchanged = null;
        for (int i = 0; i < n; i++) {
            char kind = (char) buf.get();
            switch (kind) {
                case 'n' -> values[i] = null;
                case 'u' -> {
                    if (unchanged == null) {
                        unchanged = new boolean[n];
                    }
                    unchanged[i] = true;
                }
                case 't' -> values[i] = text(buf, buf.getInt());
                default ->
                        throw new IllegalStateException(
                                "pgoutput column of kind '" + kind + "' (only text was asked for)");
            }
        }
        return new Tuple(values, unchanged);
    }

    private static String text(ByteBuffer buf, int length) {
        String s;
        if (buf.hasArray()) {
            s =
                    new String(
                            buf.array(),
                            buf.arrayOffset() + buf.position(),
                            length,
                            StandardCharsets.UTF_8);
            buf.position(buf.position() + length);
        } else {
            byte[] b = new byte[length];
            buf.get(b);
            s = new String(b, StandardCharsets.UTF_8);
        }
        return s;
    }

    /** A NUL-terminated string. */
    private static String string(ByteBuffer buf) {
        int start = buf.position();
        int end = start;
        while (buf.get(end) != 0) {
            end++;
        }
        String s = text(buf, end - start);
        buf.get(); // the NUL
        return s;
    }
}
