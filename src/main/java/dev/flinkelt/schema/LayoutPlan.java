package dev.flinkelt.schema;

import dev.flinkelt.config.Identifiers;
import dev.flinkelt.pg.ColumnType;
import dev.flinkelt.pg.LiveColumn;
import dev.flinkelt.raw.ColumnNote;
import dev.flinkelt.raw.RawColumns;
import dev.flinkelt.raw.RawNames;
import dev.flinkelt.raw.RawTypes;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Predicate;

/**
 * How the columns of one source row layout land in a raw table, decided from the layout and the
 * catalogs (so every subtask and every restart decides the same): a column the raw table has with a
 * type that holds the layout's values maps onto it; a new column is added with the source's exact
 * type; a type change is followed with {@code ALTER COLUMN … TYPE}, the warehouse's cast converting
 * earlier rows as the source's converted the source's (marked {@code retyped_at}: rows of older
 * layouts still to come map onto it too); where the warehouse refuses that cast (given in {@code
 * refused}), or a source column is named like a metadata column, the column continues in a new raw
 * column {@code <name>__<type>}, marked in its comment; a raw column the layout no longer has is
 * kept and marked as not sent since the layout's first change. Raw columns are never dropped or
 * reordered, so positions in {@link #positions} stay valid for every later layout.
 *
 * <p>Which type a layout column has comes from the layout itself: the exact type the change stream
 * named (see pg.ColumnType), the source catalog may already be ahead of the stream by later DDL.
 * Layouts of earlier versions carry type names only; for them the catalog gives the exact type only
 * while it still agrees on the type name, otherwise the column gets the built-in type of that name,
 * or text.
 *
 * @param statements DDL still needed (empty when the layout maps as it is)
 * @param positions per layout column, its index among the raw table's source columns (only when no
 *     DDL is needed)
 * @param rawColumns the raw table's source columns, in order (only when no DDL is needed)
 * @param newTypes source columns whose enum or domain type the warehouse must have before {@code
 *     statements} run
 * @param retypes per statement of {@code statements} that changes a column's type, that column (the
 *     warehouse may refuse its cast)
 * @param retypedTo per column this layout adds or retypes, its new raw type (recorded in stream
 *     order by the source tracker: see SchemaChanges#recordTypes)
 */
record LayoutPlan(
        List<String> statements,
        int[] positions,
        List<LiveColumn> rawColumns,
        List<LiveColumn> newTypes,
        Map<String, String> retypes,
        Map<String, String> retypedTo) {

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
        return of(
                rawTable,
                layout,
                types,
                source,
                raw,
                lsn,
                Set.of(),
                RawTypes::namesObjects,
                (column, since) -> List.of());
    }

    /**
     * The types the stream gave a raw column's source column between two positions, in stream order
     * (see SchemaChanges: the source tracker records them as it meets them).
     */
    interface TypeHistory {
        List<Typed> between(String column, long since);
    }

    /** A type the stream gave a column, at the position of the first layout that had it. */
    record Typed(long lsn, String type) {}

    /**
     * As above; {@code refused}: columns whose type change the warehouse's cast refused; {@code
     * asText}: which columns land as text (see raw.RawTypes).
     */
    static LayoutPlan of(
            String rawTable,
            List<String> layout,
            String[] types,
            List<LiveColumn> source,
            List<LiveColumn> raw,
            long lsn,
            Set<String> refused,
            Predicate<LiveColumn> asText,
            TypeHistory history) {
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
        Map<String, String> retypes = new HashMap<>();
        Map<String, String> retypedTo = new HashMap<>();
        int[] positions = new int[layout.size()];
        Set<Integer> mapped = new HashSet<>();
        for (int i = 0; i < layout.size(); i++) {
            String name = layout.get(i);
            ColumnType streamed = ColumnType.decode(types == null ? null : types[i]);
            if (streamed != null) {
                LiveColumn wanted = streamed.column(name);
                Integer target =
                        exact(
                                rawTable,
                                asText.test(wanted) ? RawTypes.asText(wanted) : wanted,
                                canonical,
                                index,
                                taken,
                                lsn,
                                refused,
                                ddl,
                                newTypes,
                                notes,
                                retypes,
                                retypedTo,
                                mapped,
                                history);
                if (target != null) {
                    positions[i] = target;
                    mapped.add(target);
                    sentAgain(canonical.get(target), sourceByName, notes);
                }
                continue;
            }
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
                ddl.add(addColumn(rawTable, name, ddlType(wanted)));
                needsType(exact, newTypes);
                notes.put(name, ColumnNote.added(lsn));
                taken.add(name);
                target = null;
            } else {
                target = continuation(canonical, name, wanted);
                if (target == null) {
                    String column = continuationName(name, wanted, taken);
                    taken.add(column);
                    ddl.add(addColumn(rawTable, column, ddlType(wanted)));
                    needsType(exact, newTypes);
                    notes.put(column, ColumnNote.continuing(name, lsn));
                }
            }
            if (target != null) {
                positions[i] = target;
                mapped.add(target);
                sentAgain(canonical.get(target), sourceByName, notes);
            }
        }
        for (int i = 0; i < canonical.size(); i++) {
            ColumnNote note =
                    notes.getOrDefault(
                            canonical.get(i).name(), ColumnNote.parse(canonical.get(i).comment()));
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
        return new LayoutPlan(ddl, positions, canonical, newTypes, retypes, retypedTo);
    }

    /**
     * Where a layout column of exact type {@code wanted} goes (null while DDL is needed, which is
     * added to {@code ddl}).
     */
    private static Integer exact(
            String rawTable,
            LiveColumn wanted,
            List<LiveColumn> canonical,
            Map<String, Integer> index,
            Set<String> taken,
            long lsn,
            Set<String> refused,
            List<String> ddl,
            List<LiveColumn> newTypes,
            Map<String, ColumnNote> notes,
            Map<String, String> retypes,
            Map<String, String> retypedTo,
            Set<Integer> mapped,
            TypeHistory history) {
        String name = wanted.name();
        Integer same = index.get(name);
        LiveColumn rawSame = same == null ? null : canonical.get(same);
        ColumnNote note = rawSame == null ? null : ColumnNote.parse(rawSame.comment());
        if (rawSame != null
                && (rawSame.sameType(wanted) || lsn < Math.max(note.retypedAt(), note.addedAt()))) {
            // the same type, or one a later layout gave the column (changed it, or added it):
            // these values are converted as the earlier rows were. A layout of another type is
            // newer than the raw column's (raw tables are made from the catalog before their
            // changes stream): it follows, even where the raw type could hold its values, since
            // the source's cast changed its older rows (numeric to numeric(12,4) pads 1.5 to
            // 1.5000)
            return same;
        }
        Integer continued = continuation(canonical, name, wanted);
        if (continued != null) {
            return continued;
        }
        if (rawSame != null && !refused.contains(name)) {
            // through every type the stream gave the column since the raw column's, in order: the
            // source converted its rows through each (a layout may reach this stage before an
            // older one of another key)
            List<String> chain = new ArrayList<>();
            history.between(name, Math.max(note.retypedAt(), note.addedAt()))
                    .forEach(t -> chain.add(t.type()));
            String target = ddlType(wanted);
            if (chain.isEmpty() || !chain.get(chain.size() - 1).equals(target)) {
                chain.add(target);
            }
            retypeThrough(rawTable, name, rawSame.formatted(), chain, ddl, retypes);
            retypedTo.put(name, target);
            needsType(wanted, newTypes);
            notes.put(name, notes.getOrDefault(name, note).sentAgain().retyped(lsn));
            mapped.add(same); // sent by this layout: not to be marked as not sent
            return null;
        }
        if (same == null && !taken.contains(name)) {
            String target = ddlType(wanted);
            // recorded too: a later layout may reach the keyed stage first and add the column
            // with its own type, and this one's values must then be cast through this type
            retypedTo.put(name, target);
            taken.add(name);
            needsType(wanted, newTypes);
            List<Typed> earlier = history.between(name, Long.MIN_VALUE);
            if (earlier.isEmpty() || earlier.stream().allMatch(t -> t.type().equals(target))) {
                ddl.add(addColumn(rawTable, name, target));
                notes.put(name, ColumnNote.added(lsn));
                return null;
            }
            // layouts before this one (of other keys, still on their way) gave the column other
            // types: it is added with the first and follows the source's changes from there, so
            // their rows convert as the source's did, and a change the warehouse cannot cast
            // continues in a column of its own as it would have in stream order
            ddl.add(addColumn(rawTable, name, earlier.get(0).type()));
            if (refused.contains(name)) {
                notes.put(name, ColumnNote.added(earlier.get(0).lsn()).notSentSince(lsn));
                String column = continuationName(name, wanted, taken);
                taken.add(column);
                ddl.add(addColumn(rawTable, column, target));
                notes.put(column, ColumnNote.continuing(name, lsn));
                return null;
            }
            List<String> chain = new ArrayList<>();
            earlier.forEach(t -> chain.add(t.type()));
            if (!chain.get(chain.size() - 1).equals(target)) {
                chain.add(target);
            }
            retypeThrough(rawTable, name, earlier.get(0).type(), chain, ddl, retypes);
            notes.put(name, ColumnNote.added(earlier.get(0).lsn()).retyped(lsn));
            return null;
        }
        String column = continuationName(name, wanted, taken);
        taken.add(column);
        ddl.add(addColumn(rawTable, column, ddlType(wanted)));
        needsType(wanted, newTypes);
        notes.put(column, ColumnNote.continuing(name, lsn));
        return null;
    }

    /**
     * Changes raw column {@code name} from type {@code from} through each of {@code chain} in order
     * (repeats skipped); each statement is noted in {@code retypes}, since the warehouse may refuse
     * its cast.
     */
    private static void retypeThrough(
            String rawTable,
            String name,
            String from,
            List<String> chain,
            List<String> ddl,
            Map<String, String> retypes) {
        String previous = from;
        for (String type : chain) {
            if (type.equals(previous)) {
                continue;
            }
            String retype =
                    "ALTER TABLE "
                            + rawTable
                            + " ALTER COLUMN "
                            + Identifiers.quote(name)
                            + " TYPE "
                            + type;
            ddl.add(retype);
            retypes.put(retype, name);
            previous = type;
        }
    }

    private static String addColumn(String rawTable, String column, String type) {
        return "ALTER TABLE " + rawTable + " ADD COLUMN " + Identifiers.quote(column) + " " + type;
    }

    /** A raw column marked dropped whose column the source sends again: the mark goes. */
    private static void sentAgain(
            LiveColumn raw, Map<String, LiveColumn> sourceByName, Map<String, ColumnNote> notes) {
        ColumnNote note = notes.getOrDefault(raw.name(), ColumnNote.parse(raw.comment()));
        if (note.dropped() && stillInSource(raw, sourceByName)) {
            notes.put(raw.name(), note.sentAgain()); // added again under the same name and type
        }
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
