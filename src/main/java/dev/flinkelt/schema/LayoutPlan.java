package dev.flinkelt.schema;

import dev.flinkelt.config.Identifiers;
import dev.flinkelt.pg.LiveColumn;
import dev.flinkelt.raw.ColumnNote;
import dev.flinkelt.raw.RawColumns;
import dev.flinkelt.raw.RawNames;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * How the columns of one source row layout land in a raw table, decided from the layout and the
 * catalogs (so every subtask and every restart decides the same): a column the raw table has with
 * the same type maps onto it; a new column is added with the source's type; a widening type change
 * alters the raw column; any other type change (or a source column named like a metadata column)
 * continues in a new raw column {@code <name>__<type>}, marked in its comment; a raw column the
 * layout no longer has is kept and marked as not sent since the layout's first change. Raw columns
 * are never dropped or reordered, so positions in {@link #positions} stay valid for every later
 * layout.
 *
 * <p>Which type a layout column has comes from the layout itself (the type name each row carries):
 * the source catalog may already be ahead of the stream by later DDL. The catalog gives the exact
 * type (modifiers, enum schema) only while it still agrees on the type name; otherwise the column
 * gets the built-in type of that name, or text.
 *
 * @param statements DDL still needed (empty when the layout maps as it is)
 * @param positions per layout column, its index among the raw table's source columns (only when no
 *     DDL is needed)
 * @param rawColumns the raw table's source columns, in order (only when no DDL is needed)
 * @param newTypes source columns whose enum or domain type the warehouse must have before {@code
 *     statements} run
 */
record LayoutPlan(
        List<String> statements,
        int[] positions,
        List<LiveColumn> rawColumns,
        List<LiveColumn> newTypes) {

    boolean needsDdl() {
        return !statements.isEmpty();
    }

    /**
     * @param layout the layout's column names, in the order of the values
     * @param types the layout's type names ({@code pg_type.typname}; null entries or array:
     *     unknown, trust the catalog)
     * @param source the source table's columns now (empty if it is gone); a layout column it lacks
     *     is added as text
     * @param raw the raw table's columns now, metadata columns included
     * @param lsn position of the layout's first change, recorded in comments
     */
    static LayoutPlan of(
            String rawTable,
            List<String> layout,
            String[] types,
            List<LiveColumn> source,
            List<LiveColumn> raw,
            long lsn) {
        List<LiveColumn> canonical =
                raw.stream().filter(c -> !RawColumns.METADATA.contains(c.name())).toList();
        Map<String, Integer> index = new HashMap<>();
        for (int i = 0; i < canonical.size(); i++) {
            index.put(canonical.get(i).name(), i);
        }
        Set<String> taken = new HashSet<>();
        raw.forEach(c -> taken.add(c.name()));
        Map<String, LiveColumn> sourceByName = new HashMap<>();
        source.forEach(c -> sourceByName.put(c.name(), c));

        List<String> ddl = new ArrayList<>();
        List<LiveColumn> newTypes = new ArrayList<>();
        Map<String, ColumnNote> notes = new HashMap<>();
        int[] positions = new int[layout.size()];
        Set<Integer> mapped = new HashSet<>();
        for (int i = 0; i < layout.size(); i++) {
            String name = layout.get(i);
            LiveColumn catalog = sourceByName.get(name);
            String type =
                    types == null || types[i] == null
                            ? (catalog == null ? null : catalog.typeName())
                            : types[i];
            // the exact type of this layout's column, when the catalog still has the same type
            LiveColumn exact =
                    catalog != null && catalog.typeName().equalsIgnoreCase(type) ? catalog : null;
            LiveColumn wanted = exact != null ? exact : LiveColumn.builtin(name, type);
            Integer same = index.get(name);
            Integer target;
            LiveColumn rawSame = same == null ? null : canonical.get(same);
            boolean fits =
                    rawSame != null
                            && (type == null
                                    || (exact != null
                                            ? Widening.holds(rawSame, exact)
                                            : sameFamily(rawSame, type, catalog)
                                                    || Widening.holds(rawSame, wanted)));
            if (fits) {
                // the raw column holds the values as they are: same type, or one that covers it
                // (varchar(40) for
                // varchar(10), bigint for integer rows from before a widening); a catalog that does
                // not agree on the
                // type name is ahead of these rows, whose type is then the raw column's own
                target = same;
            } else if (same != null && Widening.widens(canonical.get(same), wanted)) {
                ddl.add(
                        "ALTER TABLE "
                                + rawTable
                                + " ALTER COLUMN "
                                + Identifiers.quote(name)
                                + " TYPE "
                                + ddlType(wanted));
                target = same;
            } else if (same == null && !taken.contains(name)) {
                ddl.add(
                        "ALTER TABLE "
                                + rawTable
                                + " ADD COLUMN "
                                + Identifiers.quote(name)
                                + " "
                                + ddlType(wanted));
                needsType(exact, newTypes);
                notes.put(name, ColumnNote.added(lsn));
                taken.add(name);
                target = null;
            } else {
                target = continuation(canonical, name, wanted);
                if (target == null) {
                    String column = continuationName(name, wanted, taken);
                    taken.add(column);
                    ddl.add(
                            "ALTER TABLE "
                                    + rawTable
                                    + " ADD COLUMN "
                                    + Identifiers.quote(column)
                                    + " "
                                    + ddlType(wanted));
                    needsType(exact, newTypes);
                    notes.put(column, ColumnNote.continuing(name, lsn));
                }
            }
            if (target != null) {
                positions[i] = target;
                mapped.add(target);
                ColumnNote note = ColumnNote.parse(canonical.get(target).comment());
                if (note.dropped() && stillInSource(canonical.get(target), sourceByName)) {
                    notes.put(
                            canonical.get(target).name(),
                            note.sentAgain()); // added again under the same name and type
                }
            }
        }
        for (int i = 0; i < canonical.size(); i++) {
            ColumnNote note = ColumnNote.parse(canonical.get(i).comment());
            // an older layout (a stream behind the catalog, a replay after a restart) lacks columns
            // the source still has
            if (!mapped.contains(i)
                    && !note.dropped()
                    && !stillInSource(canonical.get(i), sourceByName)) {
                notes.put(canonical.get(i).name(), note.notSentSince(lsn));
            }
        }
        notes.forEach(
                (column, note) ->
                        ddl.add(
                                "COMMENT ON COLUMN "
                                        + rawTable
                                        + "."
                                        + Identifiers.quote(column)
                                        + " IS "
                                        + (note.comment() == null
                                                ? "NULL"
                                                : Identifiers.literal(note.comment()))));
        return new LayoutPlan(ddl, positions, canonical, newTypes);
    }

    /**
     * Whether the source still has the column a raw column holds (its own name, or the one it
     * continues) with its type.
     */
    private static boolean stillInSource(LiveColumn raw, Map<String, LiveColumn> source) {
        String continues = ColumnNote.parse(raw.comment()).continues();
        LiveColumn c = source.get(continues != null ? continues : raw.name());
        return c != null
                && (c.typeName().equals(raw.typeName())
                        || Widening.widens(raw, c)
                        || Widening.widens(c, raw));
    }

    /**
     * Whether raw column {@code raw} has the layout's type name. A user type (enum, domain) the
     * catalog still shows with the raw column's name counts as the same: readers may name a domain
     * by its base type.
     */
    private static boolean sameFamily(LiveColumn raw, String type, LiveColumn catalog) {
        return raw.typeName().equalsIgnoreCase(type)
                || (catalog != null
                        && !"pg_catalog".equals(catalog.typeSchema())
                        && catalog.typeSchema().equals(raw.typeSchema())
                        && catalog.typeName().equals(raw.typeName()));
    }

    /** The raw column that already continues {@code name} with the wanted type. */
    private static Integer continuation(
            List<LiveColumn> canonical, String name, LiveColumn wanted) {
        for (int i = 0; i < canonical.size(); i++) {
            LiveColumn c = canonical.get(i);
            if (name.equals(ColumnNote.parse(c.comment()).continues())
                    && (wanted.typmod() == LiveColumn.UNKNOWN_TYPMOD
                            ? c.typeName().equals(wanted.typeName())
                            : c.sameType(wanted))) {
                return i;
            }
        }
        return null;
    }

    /**
     * {@code <name>__<type>} (then {@code _2}, {@code _3}, …), cut to PostgreSQL's 63 bytes on a
     * character boundary.
     */
    static String continuationName(String name, LiveColumn src, Set<String> taken) {
        String type = src.array() ? src.baseName() + "_array" : src.typeName();
        for (int n = 1; ; n++) {
            String suffix = "__" + type + (n == 1 ? "" : "_" + n);
            String candidate =
                    RawNames.truncate(
                                    name,
                                    RawNames.MAX_BYTES
                                            - suffix.getBytes(StandardCharsets.UTF_8).length)
                            + suffix;
            if (!taken.contains(candidate)) {
                return candidate;
            }
        }
    }

    /**
     * The type to give a raw column for a source column: schema-qualified for user types, text when
     * unknown.
     */
    static String ddlType(LiveColumn src) {
        if (src.typmod() == LiveColumn.UNKNOWN_TYPMOD) {
            return src.formatted();
        }
        if ("pg_catalog".equals(src.baseSchema())) {
            return src.formatted();
        }
        return Identifiers.quote(src.baseSchema())
                + "."
                + Identifiers.quote(src.baseName())
                + (src.array() ? "[]" : "");
    }

    private static void needsType(LiveColumn exact, List<LiveColumn> newTypes) {
        if (exact != null && !"pg_catalog".equals(exact.baseSchema())) {
            newTypes.add(exact);
        }
    }
}
