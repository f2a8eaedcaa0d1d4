package dev.flinkelt.pg;

import org.postgresql.util.PSQLException;
import org.postgresql.util.ServerErrorMessage;

import java.io.IOException;
import java.sql.BatchUpdateException;
import java.sql.SQLException;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * What the sink may say about a warehouse error. PostgreSQL's messages for refused values quote the
 * value ({@code invalid input syntax for type date: "..."}, a constraint's "Failing row contains
 * (...)"), so for those classes only the SQLSTATE, its name and the constraint, column or type it
 * names are told; never the message.
 */
public final class SqlErrors {
    /** A lock wait that ran into {@code lock_timeout}. */
    public static final String LOCK_NOT_AVAILABLE = "55P03";

    /** Not allowed: a missing privilege or ownership. */
    public static final String INSUFFICIENT_PRIVILEGE = "42501";

    /**
     * SQLSTATE classes whose errors belong to a row's values: data exceptions, integrity, limits,
     * trigger raises.
     */
    private static final Set<String> ROW_CLASSES = Set.of("22", "23", "54", "P0");

    /**
     * Classes whose messages name only objects and states (connections, resources, transactions,
     * syntax, ...).
     */
    private static final Set<String> SAFE_CLASSES =
            Set.of("08", "0A", "25", "28", "3D", "3F", "40", "42", "53", "55", "57", "58", "XX");

    private static final Map<String, String> NAMES =
            Map.ofEntries(
                    Map.entry("22001", "string_data_right_truncation"),
                            Map.entry("22003", "numeric_value_out_of_range"),
                    Map.entry("22007", "invalid_datetime_format"),
                            Map.entry("22008", "datetime_field_overflow"),
                    Map.entry("22021", "character_not_in_repertoire"),
                            Map.entry("22023", "invalid_parameter_value"),
                    Map.entry("22P02", "invalid_text_representation"),
                            Map.entry("22P05", "untranslatable_character"),
                    Map.entry("23502", "not_null_violation"),
                            Map.entry("23503", "foreign_key_violation"),
                    Map.entry("23505", "unique_violation"), Map.entry("23514", "check_violation"),
                    Map.entry("54000", "program_limit_exceeded"),
                            Map.entry("P0001", "raise_exception"));

    /** {@code COPY <table>, line <n>[, column <c>: ...]}: where a COPY error happened. */
    private static final Pattern COPY_LINE = Pattern.compile(", line (\\d+)(?:, column ([^:]*))?");

    private SqlErrors() {}

    /**
     * The server's own error behind a failed JDBC batch (the batch's exception carries no
     * constraint or column).
     */
    private static SQLException serverError(SQLException e) {
        return e instanceof BatchUpdateException && e.getNextException() != null
                ? e.getNextException()
                : e;
    }

    /**
     * True when the error is about the values of a row (another batch without that row can
     * succeed).
     */
    public static boolean isRowLevel(SQLException e) {
        String state = e.getSQLState();
        return state != null && state.length() == 5 && ROW_CLASSES.contains(state.substring(0, 2));
    }

    /**
     * Classes of errors about the server or the connection rather than one table's objects: the job
     * fails and restarts on them.
     */
    private static final Set<String> SERVER_CLASSES = Set.of("08", "53", "57", "58", "XX");

    /** True when the error is about the server or the connection, not one table. */
    public static boolean isServerLevel(SQLException e) {
        String state = serverError(e).getSQLState();
        return state == null
                || state.length() != 5
                || SERVER_CLASSES.contains(state.substring(0, 2));
    }

    /** True when the error's own message carries no row values. */
    static boolean messageIsSafe(SQLException e) {
        String state = e.getSQLState();
        return state != null && state.length() == 5 && SAFE_CLASSES.contains(state.substring(0, 2));
    }

    /**
     * A description without row values: SQLSTATE, its name, and what the server names (constraint,
     * column, type).
     */
    public static String describe(SQLException e) {
        e = serverError(e);
        StringBuilder sb = new StringBuilder("SQLSTATE ").append(e.getSQLState());
        String name = e.getSQLState() == null ? null : NAMES.get(e.getSQLState());
        if (name != null) {
            sb.append(' ').append(name);
        }
        ServerErrorMessage m = e instanceof PSQLException p ? p.getServerErrorMessage() : null;
        if (messageIsSafe(e)) {
            sb.append(": ").append(m != null ? m.getMessage() : e.getMessage());
            return sb.toString();
        }
        if (m != null) {
            appendIf(sb, "constraint", m.getConstraint());
            appendIf(sb, "column", m.getColumn() != null ? m.getColumn() : copyColumn(m));
            appendIf(sb, "type", m.getDatatype());
        }
        return sb.toString();
    }

    /**
     * An exception that is safe to log: the server's message (and the cause) only where it cannot
     * quote a row value.
     */
    public static IOException failure(String what, SQLException e) {
        e = serverError(e);
        IOException x = new IOException(what + ": " + describe(e));
        if (messageIsSafe(e)) {
            x.initCause(e);
        }
        return x;
    }

    /**
     * The server's primary message (may quote values: only for the warehouse's own quarantine
     * table).
     */
    public static String serverMessage(SQLException e) {
        ServerErrorMessage m = e instanceof PSQLException p ? p.getServerErrorMessage() : null;
        return m != null && m.getMessage() != null
                ? m.getMessage()
                : String.valueOf(e.getMessage());
    }

    /** The 1-based line of a failed COPY's input, or -1 when the server did not say. */
    public static int copyLine(SQLException e) {
        ServerErrorMessage m = e instanceof PSQLException p ? p.getServerErrorMessage() : null;
        if (m == null || m.getWhere() == null) {
            return -1;
        }
        Matcher x = COPY_LINE.matcher(m.getWhere());
        return x.find() ? Integer.parseInt(x.group(1)) : -1;
    }

    private static String copyColumn(ServerErrorMessage m) {
        if (m.getWhere() == null) {
            return null;
        }
        Matcher x = COPY_LINE.matcher(m.getWhere());
        return x.find() ? x.group(2) : null;
    }

    private static void appendIf(StringBuilder sb, String what, String value) {
        if (value != null && !value.isEmpty()) {
            sb.append(", ").append(what).append(' ').append(value);
        }
    }
}
