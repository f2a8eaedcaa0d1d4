package dev.flinkelt.extract.pgoutput;

import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;

/**
 * Writes pgoutput protocol-1 messages byte by byte, as PostgreSQL's walsender sends them (see
 * "Logical Replication Message Formats"), for tests of the parser and decoder.
 */
public final class PgOutputBytes {
    /** A column of a Relation message. */
    public record Col(boolean key, String name, int typeOid, int typmod) {}

    private final ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    private final DataOutputStream out = new DataOutputStream(bytes);

    public static ByteBuffer begin(long finalLsn, long pgMicros, int xid) {
        return new PgOutputBytes().b('B').l(finalLsn).l(pgMicros).i(xid).done();
    }

    public static ByteBuffer commit(long commitLsn, long endLsn, long pgMicros) {
        return new PgOutputBytes().b('C').b(0).l(commitLsn).l(endLsn).l(pgMicros).done();
    }

    public static ByteBuffer relation(int oid, String ns, String name, char identity, Col... cols) {
        PgOutputBytes w = new PgOutputBytes().b('R').i(oid).s(ns).s(name).b(identity);
        w.h(cols.length);
        for (Col c : cols) {
            w.b(c.key() ? 1 : 0).s(c.name()).i(c.typeOid()).i(c.typmod());
        }
        return w.done();
    }

    public static ByteBuffer type(int oid, String ns, String name) {
        return new PgOutputBytes().b('Y').i(oid).s(ns).s(name).done();
    }

    public static ByteBuffer insert(int rel, String... values) {
        return new PgOutputBytes().b('I').i(rel).b('N').tuple(values).done();
    }

    /** {@code oldKind}: 'K', 'O' or 0 (no old row). */
    public static ByteBuffer update(int rel, char oldKind, String[] old, String... values) {
        PgOutputBytes w = new PgOutputBytes().b('U').i(rel);
        if (oldKind != 0) {
            w.b(oldKind).tuple(old);
        }
        return w.b('N').tuple(values).done();
    }

    public static ByteBuffer delete(int rel, char oldKind, String... old) {
        return new PgOutputBytes().b('D').i(rel).b(oldKind).tuple(old).done();
    }

    public static ByteBuffer truncate(int... rels) {
        PgOutputBytes w = new PgOutputBytes().b('T').i(rels.length).b(0);
        for (int r : rels) {
            w.i(r);
        }
        return w.done();
    }

    public static ByteBuffer message(
            boolean transactional, long lsn, String prefix, String content) {
        byte[] c = content.getBytes(StandardCharsets.UTF_8);
        PgOutputBytes w = new PgOutputBytes().b('M').b(transactional ? 1 : 0).l(lsn).s(prefix);
        w.i(c.length);
        w.raw(c);
        return w.done();
    }

    /** A value that was not sent: unchanged TOAST. */
    public static final String UNCHANGED = "\u0000unchanged";

    private PgOutputBytes tuple(String... values) {
        h(values.length);
        for (String v : values) {
            if (v == null) {
                b('n');
            } else if (v.equals(UNCHANGED)) {
                b('u');
            } else {
                byte[] t = v.getBytes(StandardCharsets.UTF_8);
                b('t').i(t.length).raw(t);
            }
        }
        return this;
    }

    private PgOutputBytes b(int v) {
        try {
            out.writeByte(v);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return this;
    }

    private PgOutputBytes h(int v) {
        try {
            out.writeShort(v);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return this;
    }

    private PgOutputBytes i(int v) {
        try {
            out.writeInt(v);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return this;
    }

    private PgOutputBytes l(long v) {
        try {
            out.writeLong(v);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return this;
    }

    private PgOutputBytes s(String v) {
        raw(v.getBytes(StandardCharsets.UTF_8));
        return b(0);
    }

    private PgOutputBytes raw(byte[] v) {
        try {
            out.write(v);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return this;
    }

    private ByteBuffer done() {
        return ByteBuffer.wrap(bytes.toByteArray());
    }
}
