package dev.flinkelt.raw;

import dev.flinkelt.config.Identifiers;
import dev.flinkelt.config.TableRef;

import java.nio.charset.StandardCharsets;

/**
 * The name of the raw table of a source table, unique and within PostgreSQL's 63 bytes.
 *
 * <p>Most tables get {@code <schema>__<table>}. That form is one-to-one when the schema holds no
 * {@code __} and does not end in {@code _}: the first {@code __} of the name then ends the schema
 * ({@code a__b.c} and {@code a.b__c} would otherwise both be {@code a__b__c}). Every other table,
 * and every name longer than 63 bytes (which PostgreSQL would cut, so that lookups by the full name
 * miss), gets its name's first bytes with each run of {@code _} made one, then {@code _} and ten
 * hex digits of a hash of schema and table. Those names hold no {@code __}, so they never equal a
 * name of the first form.
 */
public final class RawNames {
    /** PostgreSQL's identifier limit (NAMEDATALEN - 1), in bytes. */
    public static final int MAX_BYTES = 63;

    private static final int HASH_HEX = 10;

    private RawNames() {}

    public static String of(TableRef source) {
        return of(source.schema(), source.table());
    }

    /**
     * The raw name of table {@code table} in schema {@code schema}; also used for other names made
     * of two parts.
     */
    public static String of(String schema, String table) {
        String plain = schema + "__" + table;
        if (!schema.contains("__") && !schema.endsWith("_") && bytes(plain) <= MAX_BYTES) {
            return plain;
        }
        String hash = Identifiers.digest(schema + "\u0000" + table, HASH_HEX / 2);
        String readable =
                truncate((schema + "_" + table).replaceAll("_+", "_"), MAX_BYTES - 1 - HASH_HEX);
        while (readable.endsWith("_")) {
            readable = readable.substring(0, readable.length() - 1);
        }
        return readable + "_" + hash;
    }

    /**
     * The name an earlier version gave the raw table, as PostgreSQL stored it: {@code
     * <schema>__<table>} cut at 63 bytes. It differs from {@link #of} only for the tables whose
     * names {@link #of} makes unique or short.
     */
    public static String legacy(TableRef source) {
        return truncate(source.schema() + "__" + source.table(), MAX_BYTES);
    }

    /**
     * The longest prefix of {@code name} of at most {@code max} UTF-8 bytes that ends between two
     * characters.
     */
    public static String truncate(String name, int max) {
        if (bytes(name) <= max) {
            return name;
        }
        int end = 0;
        int used = 0;
        while (end < name.length()) {
            int cp = name.codePointAt(end);
            int len = new String(Character.toChars(cp)).getBytes(StandardCharsets.UTF_8).length;
            if (used + len > max) {
                break;
            }
            used += len;
            end += Character.charCount(cp);
        }
        return name.substring(0, end);
    }

    private static int bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8).length;
    }
}
