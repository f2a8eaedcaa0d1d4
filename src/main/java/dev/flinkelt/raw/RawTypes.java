package dev.flinkelt.raw;

import dev.flinkelt.pg.LiveColumn;

import java.util.Set;

/**
 * The type a raw column gets for a source column: the source's own, except for values that name
 * objects of the source database (their input looks the names up where it runs, so the warehouse
 * would refuse or misread them) and, with {@code target.missing-types: text}, types the warehouse
 * does not have: those land as {@code text}, the text the source printed.
 */
public final class RawTypes {
    /** Built-in types whose values name objects of their database. */
    static final Set<String> OBJECT_NAMES =
            Set.of(
                    "regclass",
                    "regcollation",
                    "regconfig",
                    "regdictionary",
                    "regnamespace",
                    "regoper",
                    "regoperator",
                    "regproc",
                    "regprocedure",
                    "regrole",
                    "regtype",
                    "aclitem");

    private RawTypes() {}

    /**
     * The raw column type for source type text {@code type} (see pg.ColumnSpec); {@code missing}:
     * quoted names of user types that land as text.
     */
    public static String of(String type, Set<String> missing) {
        String base = type;
        while (base.endsWith("[]")) {
            base = base.substring(0, base.length() - 2);
        }
        boolean array = base.length() < type.length();
        if (OBJECT_NAMES.contains(base) || missing.contains(base)) {
            return array ? "text[]" : "text";
        }
        return type;
    }

    /** Whether a column of this type lands as text although the warehouse has the type. */
    public static boolean namesObjects(LiveColumn c) {
        return "pg_catalog".equals(c.baseSchema()) && OBJECT_NAMES.contains(c.baseName());
    }

    /** The text column a column of another type lands as. */
    public static LiveColumn asText(LiveColumn c) {
        return new LiveColumn(
                c.name(),
                "pg_catalog",
                c.array() ? "_text" : "text",
                -1,
                c.array() ? "text[]" : "text",
                'b',
                c.array(),
                "pg_catalog",
                "text",
                c.comment(),
                c.unpublished());
    }
}
