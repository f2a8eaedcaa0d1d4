package dev.flinkelt.pg;

import java.io.Serializable;

/**
 * A column's exact type as the source's change stream names it (type OID and modifier from a
 * pgoutput Relation message, resolved in the source catalog): what a raw column needs to get the
 * same type. Travels in {@code ChangeEvent.types} as a string ({@link #encode}); a plain type name
 * there is the form of earlier versions ({@link #decode} returns null for it).
 *
 * @param typeSchema schema of the type ({@code pg_catalog} for built-ins)
 * @param typeName {@code pg_type.typname} ({@code _int4} for an array)
 * @param typmod the modifier ({@code -1}: none)
 * @param formatted {@code format_type(oid, typmod)}, e.g. {@code numeric(12,3)}
 * @param baseKind {@code typtype} of the base type (element type of an array): {@code b} base,
 *     {@code e} enum, {@code d} domain, {@code c} composite, {@code r} range, {@code m} multirange
 * @param array whether the column is an array
 * @param baseSchema schema of the base type
 * @param baseName name of the base type
 */
public record ColumnType(
        String typeSchema,
        String typeName,
        int typmod,
        String formatted,
        char baseKind,
        boolean array,
        String baseSchema,
        String baseName)
        implements Serializable {

    /** Marks the encoded form; no type name starts with it. */
    private static final String MARK = "\u0001";

    private static final String SEP = "\u0001";

    /** The form {@code ChangeEvent.types} carries. */
    public String encode() {
        return encode(false);
    }

    /**
     * The form {@code ChangeEvent.types} carries, marked when the column is part of the replica
     * identity the change stream named (a Relation message's key flag).
     */
    public String encode(boolean key) {
        return MARK
                + typeSchema
                + SEP
                + typeName
                + SEP
                + typmod
                + SEP
                + formatted
                + SEP
                + baseKind
                + SEP
                + (array ? "1" : "0")
                + SEP
                + baseSchema
                + SEP
                + baseName
                + (key ? SEP + "k" : "");
    }

    /** Whether {@code text} (see {@link #encode(boolean)}) marks a replica identity column. */
    public static boolean key(String text) {
        return text != null && text.startsWith(MARK) && text.endsWith(SEP + "k");
    }

    /**
     * The type {@code text} encodes, or null when it is not an encoded type (a plain type name, as
     * earlier versions wrote, or null).
     */
    public static ColumnType decode(String text) {
        if (text == null || !text.startsWith(MARK)) {
            return null;
        }
        String[] p = text.substring(MARK.length()).split(SEP, -1);
        if (p.length != 8 && p.length != 9) {
            return null;
        }
        return new ColumnType(
                p[0],
                p[1],
                Integer.parseInt(p[2]),
                p[3],
                p[4].charAt(0),
                p[5].equals("1"),
                p[6],
                p[7]);
    }

    /**
     * The type name of {@code text}: {@code typname} of an encoded type, else the text itself (a
     * plain name of an earlier version).
     */
    public static String nameOf(String text) {
        ColumnType t = decode(text);
        return t == null ? text : t.typeName();
    }

    /** The column {@code name} of this type, as a catalog would show it (no comment). */
    public LiveColumn column(String name) {
        return new LiveColumn(
                name,
                typeSchema,
                typeName,
                typmod,
                formatted,
                baseKind,
                array,
                baseSchema,
                baseName,
                null,
                false);
    }
}
