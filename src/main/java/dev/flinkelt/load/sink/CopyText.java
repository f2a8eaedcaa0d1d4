package dev.flinkelt.load.sink;

import dev.flinkelt.extract.ChangeEvent;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;

/**
 * Rows in COPY's text format. Values already are PostgreSQL text literals, so each goes through the
 * column type's own input function on the warehouse, unchanged: only COPY's escapes are added
 * (backslash, newline, carriage return, tab; {@code \N} for NULL). Reused between batches so
 * loading does not allocate per row.
 */
final class CopyText {
    private static final byte[] NULL = {'\\', 'N'};
    private byte[] buf = new byte[1 << 16];
    private int len;

    void reset() {
        len = 0;
    }

    byte[] bytes() {
        return buf;
    }

    int length() {
        return len;
    }

    /**
     * Appends the rows {@code rows[from, to)}, each with {@code columns} source values and the
     * metadata columns.
     */
    void append(List<ChangeEvent> rows, int from, int to, int columns) {
        for (int r = from; r < to; r++) {
            ChangeEvent e = rows.get(r);
            if (e.values == null) {
                // the source's COPY text: escaped as this format wants already
                text(e.copyText);
                for (int i = e.copyFields; i < columns; i++) {
                    put(NULL);
                    put((byte) '\t');
                }
            } else {
                for (int i = 0; i < columns; i++) {
                    value(i < e.values.length ? e.values[i] : null);
                    put((byte) '\t');
                }
            }
            put((byte) e.op);
            put((byte) '\t');
            ascii(Long.toString(e.lsn));
            put((byte) '\t');
            ascii(Long.toString(e.seq));
            put((byte) '\t');
            if (e.txId == ChangeEvent.NONE) {
                put(NULL);
            } else {
                ascii(Long.toString(e.txId));
            }
            put((byte) '\t');
            if (e.sourceTsMicros == ChangeEvent.NONE) {
                put(NULL);
            } else {
                ascii(SourceTime.text(e.sourceTsMicros));
            }
            put((byte) '\n');
        }
    }

    private void value(String v) {
        if (v == null) {
            put(NULL);
            return;
        }
        byte[] b = v.getBytes(StandardCharsets.UTF_8);
        ensure(2 * b.length);
        for (byte x : b) {
            // multi-byte UTF-8 sequences never contain these ASCII bytes, so escaping byte-wise is
            // safe
            switch (x) {
                case '\\' -> {
                    buf[len++] = '\\';
                    buf[len++] = '\\';
                }
                case '\n' -> {
                    buf[len++] = '\\';
                    buf[len++] = 'n';
                }
                case '\r' -> {
                    buf[len++] = '\\';
                    buf[len++] = 'r';
                }
                case '\t' -> {
                    buf[len++] = '\\';
                    buf[len++] = 't';
                }
                default -> buf[len++] = x;
            }
        }
    }

    /** Appends a row's COPY text without its newline, then a tab. */
    private void text(byte[] row) {
        int end = row.length > 0 && row[row.length - 1] == '\n' ? row.length - 1 : row.length;
        ensure(end + 1);
        System.arraycopy(row, 0, buf, len, end);
        len += end;
        buf[len++] = '\t';
    }

    private void ascii(String s) {
        ensure(s.length());
        for (int i = 0; i < s.length(); i++) {
            buf[len++] = (byte) s.charAt(i);
        }
    }

    private void put(byte b) {
        ensure(1);
        buf[len++] = b;
    }

    private void put(byte[] b) {
        ensure(b.length);
        System.arraycopy(b, 0, buf, len, b.length);
        len += b.length;
    }

    private void ensure(int more) {
        if (len + more > buf.length) {
            buf = Arrays.copyOf(buf, Math.max(buf.length * 2, len + more));
        }
    }
}
