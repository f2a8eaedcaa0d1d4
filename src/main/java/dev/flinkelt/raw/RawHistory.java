package dev.flinkelt.raw;

import dev.flinkelt.config.Identifiers;
import dev.flinkelt.pg.LiveColumn;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * How to read a source table's current columns back from its raw table, after whatever DDL the raw
 * table followed: per source column an SQL expression over a raw row that yields {@link #UNKNOWN}
 * where the row's version predates the column (added later, so a default the source filled in
 * without a change is not in raw), {@code N} for NULL, and otherwise the md5 of the value's text;
 * plus one line per column the source no longer sends or that continues elsewhere. {@code verify}
 * compares these with the same expression over the source row.
 */
public record RawHistory(
        List<String> sourceColumns, List<String> rawExpressions, List<String> notes) {
    /** Marks a column whose value a raw row cannot know. */
    public static final String UNKNOWN = "?";

    /** The expression over a source (or raw) column that the raw expressions are compared with. */
    public static String valueHash(String quotedColumn) {
        return "coalesce(md5(" + quotedColumn + "::text), 'N')";
    }

    public static RawHistory read(
            Connection source, String sourceTable, Connection warehouse, String rawTable)
            throws SQLException {
        List<LiveColumn> src =
                LiveColumn.read(source, sourceTable).stream()
                        .filter(c -> !c.unpublished())
                        .toList();
        List<LiveColumn> raw =
                LiveColumn.read(warehouse, rawTable).stream()
                        .filter(c -> !RawColumns.METADATA.contains(c.name()))
                        .toList();
        Map<String, LiveColumn> rawByName = new HashMap<>();
        raw.forEach(c -> rawByName.put(c.name(), c));
        List<String> names = new ArrayList<>();
        List<String> expressions = new ArrayList<>();
        for (LiveColumn c : src) {
            names.add(c.name());
            expressions.add(expression(c, rawByName.get(c.name()), raw));
        }
        List<String> notes = new ArrayList<>();
        for (LiveColumn c : raw) {
            ColumnNote note = ColumnNote.parse(c.comment());
            if (note.continues() != null) {
                notes.add(
                        "raw column "
                                + c.name()
                                + " continues source column "
                                + note.continues()
                                + " (type changed) since _lsn "
                                + note.since());
            }
            if (note.dropped()) {
                notes.add(
                        "raw column "
                                + c.name()
                                + " not sent by the source since _lsn "
                                + note.notSentSince()
                                + " (dropped, renamed or retyped)");
            }
        }
        return new RawHistory(names, expressions, notes);
    }

    private static String expression(LiveColumn source, LiveColumn sameName, List<LiveColumn> raw) {
        String own = sameName == null ? null : guarded(sameName);
        for (LiveColumn c : raw) {
            ColumnNote note = ColumnNote.parse(c.comment());
            if (source.name().equals(note.continues()) && c.typeName().equals(source.typeName())) {
                // rows from before the change hold the value in the old column, of the old type:
                // what the source's own conversion (its USING, which the change stream does not
                // tell) made of it cannot be known
                String q = Identifiers.quote(c.name());
                return "CASE WHEN "
                        + q
                        + " IS NULL AND \"_lsn\" < "
                        + note.since()
                        + " THEN '"
                        + UNKNOWN
                        + "' ELSE "
                        + valueHash(q)
                        + " END";
            }
        }
        return own == null ? "'" + UNKNOWN + "'" : own;
    }

    /** The column's value hash, unknown for raw rows from before the column was added. */
    private static String guarded(LiveColumn c) {
        ColumnNote note = ColumnNote.parse(c.comment());
        String hash = valueHash(Identifiers.quote(c.name()));
        return note.addedAt() < 0
                ? hash
                : "CASE WHEN "
                        + Identifiers.quote(c.name())
                        + " IS NULL AND \"_lsn\" < "
                        + note.addedAt()
                        + " THEN '"
                        + UNKNOWN
                        + "' ELSE "
                        + hash
                        + " END";
    }
}
