package dev.flinkelt.extract;

import dev.flinkelt.pg.ColumnType;

import java.util.Arrays;
import java.util.List;

/**
 * The key a change is partitioned and ordered by: its table and the text of its key values ({@link
 * KeyText}), so a key's snapshot row and its changes meet in the same keyed state.
 */
public final class Keys {
    static final char KEY_SEPARATOR = '\u0000';

    /**
     * Appended to the table name for a TRUNCATE's key: no row key has it (row keys go on with
     * KEY_SEPARATOR).
     */
    static final String TRUNCATE_KEY = "\u0001truncate";

    /**
     * First character of the keys of tables without a key (no table's text starts with it: names
     * hold no NUL). Their rows are a multiset: the keyed stage keeps no state for them.
     */
    static final char KEYLESS = '\u0000';

    private Keys() {}

    /** Whether {@code key} is of a table without a key. */
    public static boolean keyless(String key) {
        return !key.isEmpty() && key.charAt(0) == KEYLESS;
    }

    /**
     * The key of a row of a table without a key: only spreads the rows over the keyed stage's
     * subtasks (rows that differ may share it).
     */
    public static String keyless(String table, String[] values) {
        return KEYLESS + table + KEY_SEPARATOR + Integer.toHexString(Arrays.hashCode(values));
    }

    /** The key of a TRUNCATE of a table without a key. */
    public static String keylessTruncate(String table) {
        return KEYLESS + table + TRUNCATE_KEY;
    }

    /**
     * What tells a row of a table without a key from others: all its values, each in the text form
     * of its type.
     */
    public static String wholeRow(String table, String[] values, String[] typeNames) {
        StringBuilder sb = new StringBuilder(table);
        for (int i = 0; i < values.length; i++) {
            String v = KeyText.of(typeNames == null ? null : typeNames[i], values[i]);
            // length-prefixed: no value's text can pass for another's, NULL apart from 'null'
            sb.append(KEY_SEPARATOR);
            if (v == null) {
                sb.append('N');
            } else {
                sb.append(v.length()).append(':').append(v);
            }
        }
        return sb.toString();
    }

    /** Where each key column is among a row's {@code columns} (-1: missing, keyed as NULL). */
    public static int[] positions(String[] columns, List<String> keyColumns) {
        List<String> names = List.of(columns);
        return keyColumns.stream().mapToInt(names::indexOf).toArray();
    }

    /**
     * Nulls every value but the key's: what a delete without full replica identity really carries.
     */
    public static void keepKeyOnly(int[] keys, String[] values) {
        for (int i = 0; i < values.length; i++) {
            if (!contains(keys, i)) {
                values[i] = null;
            }
        }
    }

    private static boolean contains(int[] xs, int x) {
        for (int v : xs) {
            if (v == x) {
                return true;
            }
        }
        return false;
    }

    /**
     * The key of a TRUNCATE of {@code table}: apart from every row key, the same for every TRUNCATE
     * of the table.
     */
    public static String truncate(String table) {
        return table + TRUNCATE_KEY;
    }

    /**
     * The key of a row of {@code table}: its values at {@code keys}, each in the text form of its
     * type ({@code typeNames}: {@code pg_type.typname} per column, see {@link #typeNames}; may be
     * null).
     */
    public static String of(String table, int[] keys, String[] values, String[] typeNames) {
        StringBuilder sb = new StringBuilder(table);
        for (int i : keys) {
            sb.append(KEY_SEPARATOR)
                    .append(
                            i < 0
                                    ? null
                                    : KeyText.of(
                                            typeNames == null ? null : typeNames[i], values[i]));
        }
        return sb.toString();
    }

    /** The type names of a layout's types (see ChangeEvent.types); worked out once per layout. */
    public static String[] typeNames(String[] types) {
        if (types == null) {
            return null;
        }
        String[] names = new String[types.length];
        for (int i = 0; i < types.length; i++) {
            names[i] = ColumnType.nameOf(types[i]);
        }
        return names;
    }
}
