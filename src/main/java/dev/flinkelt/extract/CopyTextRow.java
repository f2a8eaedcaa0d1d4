package dev.flinkelt.extract;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * Splits one row of {@code COPY … TO STDOUT} text format into its values: PostgreSQL's own text
 * form of each, exactly as {@code ::text} gives it; {@code null} for {@code \N}. The server escapes
 * backslash and the control characters (as {@code \\ \b \f \n \r \t \v}); octal and hex escapes are
 * undone too. Values without a backslash are decoded straight from the row's bytes (the common
 * case); the scratch buffer is reused between rows.
 */
public final class CopyTextRow {
    /** For escaped values only: made when first needed (most rows have none). */
    private byte[] scratch;

    /**
     * The {@code columns} values of {@code row} (one COPY data message: the row, its newline
     * optional).
     */
    public String[] split(byte[] row, int columns) {
        return split(row, columns, null);
    }

    /**
     * As {@link #split(byte[], int)}, decoding only the values {@code wanted} marks (null: all);
     * the others are left null. A snapshot row is split for its key first and held as its text.
     */
    public String[] split(byte[] row, int columns, boolean[] wanted) {
        String[] out = new String[columns];
        int end = row.length > 0 && row[row.length - 1] == '\n' ? row.length - 1 : row.length;
        int start = 0;
        int column = 0;
        boolean escaped = false;
        for (int i = 0; i <= end; i++) {
            if (i < end && row[i] != '\t') {
                if (row[i] == '\\' && i + 1 < end) {
                    escaped = true;
                    i++; // the escaped byte is never a separator
                }
                continue;
            }
            if (column == columns) {
                throw new IllegalStateException(
                        "a COPY row has more than the " + columns + " columns selected");
            }
            if (wanted == null || wanted[column]) {
                out[column] = value(row, start, i, escaped);
            }
            column++;
            start = i + 1;
            escaped = false;
        }
        if (column != columns) {
            throw new IllegalStateException(
                    "a COPY row has " + column + " of the " + columns + " columns selected");
        }
        return out;
    }

    private String value(byte[] row, int from, int to, boolean escaped) {
        if (!escaped) {
            return new String(row, from, to - from, StandardCharsets.UTF_8);
        }
        if (to - from == 2 && row[from + 1] == 'N') {
            return null;
        }
        if (scratch == null) {
            scratch = new byte[Math.max(256, to - from)];
        } else if (scratch.length < to - from) {
            scratch = Arrays.copyOf(scratch, Math.max(2 * scratch.length, to - from));
        }
        int n = 0;
        for (int i = from; i < to; i++) {
            byte b = row[i];
            if (b != '\\' || i + 1 >= to) {
                scratch[n++] = b;
                continue;
            }
            byte c = row[++i];
            switch (c) {
                case 'b' -> scratch[n++] = '\b';
                case 'f' -> scratch[n++] = '\f';
                case 'n' -> scratch[n++] = '\n';
                case 'r' -> scratch[n++] = '\r';
                case 't' -> scratch[n++] = '\t';
                case 'v' -> scratch[n++] = 0x0b;
                case 'x' -> {
                    int v = 0;
                    int digits = 0;
                    while (digits < 2 && i + 1 < to && Character.digit(row[i + 1], 16) >= 0) {
                        v = 16 * v + Character.digit(row[++i], 16);
                        digits++;
                    }
                    scratch[n++] = digits == 0 ? (byte) 'x' : (byte) v;
                }
                default -> {
                    if (c >= '0' && c <= '7') {
                        int v = c - '0';
                        for (int d = 0;
                                d < 2 && i + 1 < to && row[i + 1] >= '0' && row[i + 1] <= '7';
                                d++) {
                            v = 8 * v + (row[++i] - '0');
                        }
                        scratch[n++] = (byte) v;
                    } else {
                        scratch[n++] = c; // \\ and any other escaped character stand for themselves
                    }
                }
            }
        }
        return new String(scratch, 0, n, StandardCharsets.UTF_8);
    }
}
