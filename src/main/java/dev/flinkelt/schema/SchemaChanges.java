package dev.flinkelt.schema;

import dev.flinkelt.config.Identifiers;
import dev.flinkelt.config.PgEndpoint;
import dev.flinkelt.config.TableRef;
import dev.flinkelt.extract.ChangeEvent;
import dev.flinkelt.pg.ColumnType;
import dev.flinkelt.pg.Connections;
import dev.flinkelt.pg.LiveColumn;
import dev.flinkelt.pg.Schemas;
import dev.flinkelt.pg.SourceCatalog;
import dev.flinkelt.pg.SqlErrors;
import dev.flinkelt.pg.UserType;
import dev.flinkelt.raw.ColumnNote;
import dev.flinkelt.raw.PausedTables;
import dev.flinkelt.raw.RawColumns;
import dev.flinkelt.raw.RawNames;
import dev.flinkelt.raw.RawTables;
import dev.flinkelt.raw.RawTypes;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Brings raw tables up to the source's row layouts. Reading is cheap and done by any stage;
 * changing is done under {@code LOCK TABLE … ACCESS EXCLUSIVE} with a short lock timeout, because
 * the lock waits for every sink transaction that wrote the table (prepared ones end only when their
 * checkpoint completes): a stage that fails to get it holds the table's rows and tries again, so no
 * writer waits behind the DDL for longer than the timeout. Every change is planned again under the
 * lock from the catalogs, so a repeated attempt (another subtask, a restart) does nothing twice.
 */
public final class SchemaChanges implements RawLayouts {
    private static final Logger LOG = LoggerFactory.getLogger(SchemaChanges.class);
    static final String LOCK_TIMEOUT = "200ms";

    private final SchemaTarget target;
    private final String role;
    private Connection source;
    private Connection warehouse;
    private final Map<String, EnumLabels> enums = new HashMap<>();
    private final RawPins pins = new RawPins(this::pinConnection);

    /** Per table pinned now: its raw source columns and their recorded types (see reconvert). */
    private final Map<String, PinnedColumns> pinnedColumns = new HashMap<>();

    public SchemaChanges(SchemaTarget target, String role) {
        this.target = target;
        this.role = role;
    }

    /**
     * The mapping of {@code layout} onto {@code table}'s raw table, or null while DDL is needed
     * (made by {@link #apply}; this changes nothing). {@code types} are the layout's type names as
     * the rows carry them (see {@link LayoutPlan}). {@code lsn} is the position of the layout's
     * first change, recorded in column comments.
     */
    @Override
    public Mapping mapping(String table, String[] layout, String[] types, long lsn)
            throws SQLException {
        TableRef ref = ref(table);
        String raw = rawTable(ref);
        List<String> names = Arrays.asList(layout);
        List<LiveColumn> rawColumns = LiveColumn.read(warehouse(), raw);
        if (rawColumns.isEmpty()) {
            return null; // no raw table yet (a table renamed into the patterns): the tracker
            // captures it, the rows wait
        }
        LayoutPlan plan =
                plan(
                        ref,
                        raw,
                        names,
                        types,
                        rawColumns,
                        lsn,
                        Set.of(),
                        (column, since) -> List.of());
        if (plan.needsDdl()) {
            recordTypes(ref, plan.retypedTo(), rawColumns, lsn);
            return null;
        }
        EnumLabels[] labels = new EnumLabels[layout.length];
        String[] casts = new String[layout.length];
        for (int i = 0; i < layout.length; i++) {
            LiveColumn c = plan.rawColumns().get(plan.positions()[i]);
            if (c.isEnum()) {
                labels[i] = enumLabels(c);
            }
            casts[i] = casts(ref, layout[i], types == null ? null : types[i], c, lsn);
        }
        return new Mapping(plan.positions(), plan.rawColumns().size(), labels, casts);
    }

    @Override
    public boolean convertsRows(String table, String[] layout, String[] types, long lsn)
            throws SQLException {
        TableRef ref = ref(table);
        String raw = rawTable(ref);
        List<LiveColumn> rawColumns = LiveColumn.read(warehouse(), raw);
        if (rawColumns.isEmpty()) {
            return false;
        }
        LayoutPlan plan =
                plan(
                        ref,
                        raw,
                        Arrays.asList(layout),
                        types,
                        rawColumns,
                        lsn,
                        Set.of(),
                        history(ref, lsn));
        Set<String> existing = new HashSet<>();
        rawColumns.forEach(c -> existing.add(c.name()));
        return plan.retypes().values().stream().anyMatch(existing::contains);
    }

    /**
     * The casts that bring a value of an older layout's type to its raw column's later one through
     * every type the source gave the column in between, in order: the source's rows went through
     * each (12.45 → numeric(6,1) 12.5 → numeric(12,0) 13, not 12). Null when the types agree.
     */
    private String casts(TableRef ref, String column, String type, LiveColumn raw, long lsn) {
        ColumnType streamed = ColumnType.decode(type);
        if (streamed == null) {
            return null;
        }
        LiveColumn wanted = streamed.column(column);
        if (asText(wanted)) {
            wanted = RawTypes.asText(wanted);
        }
        if (!raw.name().equals(column)) {
            return null;
        }
        ColumnNote note = ColumnNote.parse(raw.comment());
        long rawSince = Math.max(note.retypedAt(), note.addedAt());
        if (lsn >= rawSince && raw.sameType(wanted)) {
            return null;
        }
        // a row older than the raw column's type went through every type the source gave the
        // column since, even where the last is its own again (numeric → numeric(12,0) → numeric
        // leaves 123.4567 as 123)
        List<String> chain =
                lsn < rawSince
                        ? typesBetween(ref, column, lsn, rawSince).stream()
                                .map(LayoutPlan.Typed::type)
                                .toList()
                        : List.of();
        if (chain.isEmpty() && raw.sameType(wanted)) {
            return null;
        }
        return castChain(LayoutPlan.ddlType(wanted), chain);
    }

    /** {@code ?} cast to {@code own}, then through each of {@code chain} in order. */
    private static String castChain(String own, List<String> chain) {
        StringBuilder sb = new StringBuilder("CAST(? AS ").append(own).append(')');
        for (String t : chain) {
            sb.insert(0, "CAST(").append(" AS ").append(t).append(')');
        }
        return sb.toString();
    }

    @Override
    public boolean pin(String table) throws SQLException {
        return pins.pin(rawTable(ref(table)));
    }

    @Override
    public void unpin() throws SQLException {
        pins.unpinAll();
        pinnedColumns.clear();
    }

    @Override
    public void reconvert(ChangeEvent mapped) throws SQLException {
        if (mapped.values == null || mapped.op == ChangeEvent.TRUNCATE) {
            return;
        }
        PinnedColumns p = pinnedColumns.get(mapped.table);
        if (p == null) {
            p = pinnedColumns(ref(mapped.table));
            pinnedColumns.put(mapped.table, p);
        }
        for (int i = 0; i < mapped.values.length && i < p.names.size(); i++) {
            String casts = p.casts(i, mapped.lsn);
            if (casts != null && mapped.values[i] != null) {
                mapped.values[i] = cast(casts, mapped.values[i]);
            }
        }
    }

    /** The raw source columns of {@code ref} with their notes, and every type recorded for them. */
    private PinnedColumns pinnedColumns(TableRef ref) throws SQLException {
        List<String> names = new ArrayList<>();
        List<Long> since = new ArrayList<>();
        for (LiveColumn c : LiveColumn.read(warehouse(), rawTable(ref))) {
            if (!RawColumns.METADATA.contains(c.name())) {
                ColumnNote note = ColumnNote.parse(c.comment());
                names.add(c.name());
                since.add(Math.max(note.retypedAt(), note.addedAt()));
            }
        }
        Map<String, List<LayoutPlan.Typed>> recorded = new HashMap<>();
        try (PreparedStatement ps =
                warehouse()
                        .prepareStatement(
                                "SELECT column_name, lsn, type FROM "
                                        + columnTypes()
                                        + " WHERE raw_table = ? ORDER BY lsn")) {
            ps.setString(1, RawNames.of(ref));
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    recorded.computeIfAbsent(rs.getString(1), k -> new ArrayList<>())
                            .add(new LayoutPlan.Typed(rs.getLong(2), rs.getString(3)));
                }
            }
        }
        return new PinnedColumns(names, since, recorded);
    }

    /**
     * A pinned table's raw source columns in mapped-value order, the position of the layout that
     * gave each its type, and the types recorded per column in stream order.
     */
    private record PinnedColumns(
            List<String> names, List<Long> since, Map<String, List<LayoutPlan.Typed>> recorded) {

        /**
         * The casts that bring a value of column {@code i}, mapped for a row at {@code lsn} in the
         * type its layout had, through every type the column was given after that layout (null:
         * none). The first cast is to the row's own type where it was recorded, so the value is
         * converted from that type as the source converted it, not parsed anew.
         */
        String casts(int i, long lsn) {
            long rawSince = since.get(i);
            List<LayoutPlan.Typed> types = recorded.get(names.get(i));
            if (rawSince <= lsn || types == null) {
                return null;
            }
            String own = null;
            List<String> chain = new ArrayList<>();
            for (LayoutPlan.Typed t : types) {
                if (t.lsn() <= lsn) {
                    own = t.type();
                } else if (t.lsn() <= rawSince) {
                    chain.add(t.type());
                }
            }
            if (chain.isEmpty()) {
                return null;
            }
            return castChain(own == null ? "text" : own, chain);
        }
    }

    /**
     * Which of {@code table}'s raw source columns (in mapped-value order) have a fixed-width type:
     * their values are never TOASTed, so the keyed state need not keep them to fill unchanged TOAST
     * values in.
     */
    @Override
    public boolean[] fixedWidth(String table) throws SQLException {
        List<Boolean> out = new ArrayList<>();
        try (PreparedStatement ps =
                warehouse()
                        .prepareStatement(
                                "SELECT a.attname, t.typlen > 0 FROM pg_attribute a JOIN pg_type t"
                                        + " ON t.oid = a.atttypid WHERE a.attrelid = to_regclass(?) AND a.attnum > 0 AND NOT a.attisdropped ORDER BY a.attnum")) {
            ps.setString(1, rawTable(ref(table)));
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    if (!RawColumns.METADATA.contains(rs.getString(1))) {
                        out.add(rs.getBoolean(2));
                    }
                }
            }
        }
        boolean[] fixed = new boolean[out.size()];
        for (int i = 0; i < fixed.length; i++) {
            fixed[i] = out.get(i);
        }
        return fixed;
    }

    /**
     * Makes the DDL {@code layout} needs; false when the table lock was not free within the timeout
     * or the raw table does not exist yet (try again later). May take long (a type change that
     * rewrites the raw table): callers run it off the task thread.
     */
    @Override
    public boolean apply(String table, String[] layout, String[] types, long lsn)
            throws SQLException {
        TableRef ref = ref(table);
        String raw = rawTable(ref);
        if (LiveColumn.read(warehouse(), raw).isEmpty()) {
            return false;
        }
        return change(ref, raw, Arrays.asList(layout), types, lsn);
    }

    /** The plan for rows of {@code names} against the raw columns and the source's columns now. */
    private LayoutPlan plan(
            TableRef ref,
            String raw,
            List<String> names,
            String[] types,
            List<LiveColumn> rawColumns,
            long lsn,
            Set<String> refused,
            LayoutPlan.TypeHistory history)
            throws SQLException {
        return LayoutPlan.of(
                raw,
                names,
                types,
                LiveColumn.read(source(), ref.quoted()),
                rawColumns,
                lsn,
                refused,
                this::asText,
                history);
    }

    /** The types a column of {@code ref} had since a row's layout, up to {@code lsn}. */
    private LayoutPlan.TypeHistory history(TableRef ref, long lsn) {
        return (column, since) -> typesBetween(ref, column, since, lsn);
    }

    private boolean change(TableRef ref, String raw, List<String> names, String[] types, long lsn)
            throws SQLException {
        Set<String> refused = new HashSet<>();
        while (true) {
            Connection wh = warehouse();
            wh.setAutoCommit(false);
            try (Statement st = wh.createStatement()) {
                st.execute("SET LOCAL lock_timeout = '" + LOCK_TIMEOUT + "'");
                st.execute("LOCK TABLE " + raw + " IN ACCESS EXCLUSIVE MODE");
                LayoutPlan plan =
                        plan(
                                ref,
                                raw,
                                names,
                                types,
                                LiveColumn.read(wh, raw),
                                lsn,
                                refused,
                                history(ref, lsn));
                createTypes(st, plan);
                String refusedNow = run(st, plan);
                if (refusedNow != null) {
                    // the warehouse cannot convert the earlier rows: the column continues in a
                    // new raw column instead (planned again from the start)
                    wh.rollback();
                    refused.add(refusedNow);
                    continue;
                }
                wh.commit();
                if (plan.needsDdl()) {
                    // statements name tables and columns only, never values
                    LOG.info(
                            "raw table {} follows the source's columns now: {}",
                            raw,
                            plan.statements());
                }
                return true;
            } catch (SQLException e) {
                wh.rollback();
                if (SqlErrors.LOCK_NOT_AVAILABLE.equals(e.getSQLState())) {
                    return false;
                }
                throw e;
            } finally {
                wh.setAutoCommit(true);
            }
        }
    }

    /**
     * Makes the user types new raw columns need (and those they are made of) in the warehouse. A
     * type it cannot make (an extension's it lacks) fails the change, naming the fix.
     */
    /**
     * Records the new types a layout gives columns, at its first change's position. The source
     * tracker meets layouts in stream order and asks first, so the keyed stage, which may meet them
     * in another order (per key), finds every type a column went through.
     */
    private void recordTypes(
            TableRef ref, Map<String, String> types, List<LiveColumn> rawColumns, long lsn)
            throws SQLException {
        if (types.isEmpty()) {
            return;
        }
        // a column's first record also records the type it had until then (at the lowest
        // position, which no history between two positions includes): rows of the layouts before
        // are in it, and a row held while the column changed type is converted from it
        try (PreparedStatement ps =
                warehouse()
                        .prepareStatement(
                                "INSERT INTO "
                                        + columnTypes()
                                        + " (raw_table, column_name, lsn, type) SELECT ?, ?, ?, ?"
                                        + " WHERE NOT EXISTS (SELECT 1 FROM "
                                        + columnTypes()
                                        + " WHERE raw_table = ? AND column_name = ?) ON CONFLICT DO NOTHING")) {
            for (LiveColumn c : rawColumns) {
                if (types.containsKey(c.name()) && !RawColumns.METADATA.contains(c.name())) {
                    ps.setString(1, RawNames.of(ref));
                    ps.setString(2, c.name());
                    ps.setLong(3, Long.MIN_VALUE);
                    ps.setString(4, LayoutPlan.ddlType(c));
                    ps.setString(5, RawNames.of(ref));
                    ps.setString(6, c.name());
                    ps.addBatch();
                }
            }
            ps.executeBatch();
        }
        try (PreparedStatement ps =
                warehouse()
                        .prepareStatement(
                                "INSERT INTO "
                                        + columnTypes()
                                        + " (raw_table, column_name, lsn, type) VALUES (?, ?, ?, ?)"
                                        + " ON CONFLICT DO NOTHING")) {
            for (Map.Entry<String, String> t : types.entrySet()) {
                ps.setString(1, RawNames.of(ref));
                ps.setString(2, t.getKey());
                ps.setLong(3, lsn);
                ps.setString(4, t.getValue());
                ps.addBatch();
            }
            ps.executeBatch();
        }
    }

    /**
     * The types recorded for {@code column} after {@code since} and up to {@code upTo}, in order.
     */
    private List<LayoutPlan.Typed> typesBetween(
            TableRef ref, String column, long since, long upTo) {
        List<LayoutPlan.Typed> out = new ArrayList<>();
        try (PreparedStatement ps =
                warehouse()
                        .prepareStatement(
                                "SELECT lsn, type FROM "
                                        + columnTypes()
                                        + " WHERE raw_table = ? AND column_name = ? AND lsn > ? AND lsn <= ? ORDER BY lsn")) {
            ps.setString(1, RawNames.of(ref));
            ps.setString(2, column);
            ps.setLong(3, since);
            ps.setLong(4, upTo);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    out.add(new LayoutPlan.Typed(rs.getLong(1), rs.getString(2)));
                }
            }
        } catch (SQLException e) {
            throw new IllegalStateException(
                    "cannot read the recorded types of a column of "
                            + ref
                            + " (SQLSTATE "
                            + e.getSQLState()
                            + ")",
                    e);
        }
        return out;
    }

    private String columnTypes() {
        return Identifiers.quote(target.rawSchema())
                + "."
                + Identifiers.quote(RawTables.COLUMN_TYPES);
    }

    private void createTypes(Statement st, LayoutPlan plan) throws SQLException {
        for (LiveColumn c : plan.newTypes()) {
            for (UserType type : needed(c)) {
                if (RawTables.typeExists(st.getConnection(), type)) {
                    continue;
                }
                if (!type.creatable()) {
                    throw new IllegalStateException(
                            "a new column of a captured table needs type "
                                    + type.quotedName()
                                    + ", which the warehouse does not have. Fix: on the warehouse, "
                                    + type.fix()
                                    + " Or set target.missing-types: text");
                }
                Schemas.ensure(st.getConnection(), type.schema());
                st.execute(type.createStatement());
            }
        }
    }

    /** The user types a column of {@code c}'s type needs, those it is made of first. */
    private List<UserType> needed(LiveColumn c) throws SQLException {
        SourceCatalog catalog = new SourceCatalog(source());
        catalog.userType(c.baseSchema(), c.baseName());
        return catalog.userTypes();
    }

    /**
     * Whether a column lands as text: values naming source objects always, and with {@code
     * target.missing-types: text} a type the warehouse lacks and cannot be given.
     */
    private boolean asText(LiveColumn c) {
        if (RawTypes.namesObjects(c)) {
            return true;
        }
        if (!target.missingTypesAsText() || "pg_catalog".equals(c.baseSchema())) {
            return false;
        }
        try {
            for (UserType type : needed(c)) {
                if (!type.creatable() && !RawTables.typeExists(warehouse(), type)) {
                    return true;
                }
            }
            return false;
        } catch (SQLException e) {
            throw new IllegalStateException(
                    "cannot read type "
                            + c.baseSchema()
                            + "."
                            + c.baseName()
                            + " (SQLSTATE "
                            + e.getSQLState()
                            + ")",
                    e);
        }
    }

    /**
     * Runs the plan's statements; a type change the warehouse's cast refuses is undone and its
     * column returned (null when every statement ran).
     */
    private static String run(Statement st, LayoutPlan plan) throws SQLException {
        Map<String, String> columnOf = plan.retypes();
        for (String ddl : plan.statements()) {
            String column = columnOf.get(ddl);
            if (column == null) {
                st.execute(ddl);
                continue;
            }
            st.execute("SAVEPOINT retype");
            try {
                st.execute(ddl);
                st.execute("RELEASE SAVEPOINT retype");
            } catch (SQLException e) {
                if (SqlErrors.LOCK_NOT_AVAILABLE.equals(e.getSQLState())) {
                    throw e;
                }
                st.execute("ROLLBACK TO SAVEPOINT retype");
                // the message may quote a value: only its code goes into the log
                LOG.info(
                        "the warehouse cannot cast the earlier rows of raw column {} to the source's new type"
                                + " (SQLSTATE {}); the column continues in a new raw column",
                        column,
                        e.getSQLState());
                return column;
            }
        }
        return null;
    }

    /**
     * Adds to the warehouse the labels of the event's enum values it lacks, in the source's order,
     * before the event is written ({@code ALTER TYPE … ADD VALUE} commits on its own; a label added
     * for nothing harms no one).
     */
    @Override
    public void finish(Mapping m, ChangeEvent mapped) throws SQLException {
        for (int i = 0; i < m.casts.length; i++) {
            String value = mapped.values[m.position(i)];
            if (m.casts[i] != null && value != null) {
                mapped.values[m.position(i)] = cast(m.casts[i], value);
            }
        }
        for (int i = 0; i < m.enums.length; i++) {
            EnumLabels l = m.enums[i];
            if (l == null) {
                continue;
            }
            String missing = l.missing(mapped.values[m.position(i)]);
            if (missing != null) {
                addLabels(l);
            }
        }
    }

    /** {@code value} through {@code casts}, as the warehouse prints the result. */
    private String cast(String casts, String value) throws SQLException {
        try (PreparedStatement ps = warehouse().prepareStatement("SELECT (" + casts + ")::text")) {
            ps.setString(1, value);
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                return rs.getString(1);
            }
        }
    }

    private void addLabels(EnumLabels l) throws SQLException {
        List<String> wanted = new SourceCatalog(source()).userType(l.schema, l.name).enumLabels();
        String type = Identifiers.quote(l.schema) + "." + Identifiers.quote(l.name);
        try (Statement st = warehouse().createStatement()) {
            for (int i = 0; i < wanted.size(); i++) {
                String label = wanted.get(i);
                if (l.labels.contains(label)) {
                    continue;
                }
                String place = place(wanted, i, l.labels);
                st.execute(
                        "ALTER TYPE "
                                + type
                                + " ADD VALUE IF NOT EXISTS "
                                + Identifiers.literal(label)
                                + place);
                l.labels.add(label);
            }
        }
        LOG.info("enum {} has the source's labels now ({} labels)", type, wanted.size());
    }

    /**
     * Where label {@code i} of the source's {@code wanted} goes among the warehouse's {@code have}:
     * after the nearest earlier label the warehouse has (labels are added in order, so that is
     * usually the one just added), else before the nearest later one, else anywhere (an enum
     * without labels).
     */
    static String place(List<String> wanted, int i, Set<String> have) {
        for (int j = i - 1; j >= 0; j--) {
            if (have.contains(wanted.get(j))) {
                return " AFTER " + Identifiers.literal(wanted.get(j));
            }
        }
        for (int j = i + 1; j < wanted.size(); j++) {
            if (have.contains(wanted.get(j))) {
                return " BEFORE " + Identifiers.literal(wanted.get(j));
            }
        }
        return "";
    }

    private EnumLabels enumLabels(LiveColumn c) throws SQLException {
        String id = c.baseSchema() + "." + c.baseName() + (c.array() ? "[]" : "");
        EnumLabels l = enums.get(id);
        if (l == null) {
            l = new EnumLabels(c.baseSchema(), c.baseName(), c.array());
            try (PreparedStatement ps =
                    warehouse()
                            .prepareStatement(
                                    "SELECT e.enumlabel FROM pg_enum e JOIN pg_type t ON t.oid = e.enumtypid"
                                            + " JOIN pg_namespace n ON n.oid = t.typnamespace WHERE n.nspname = ? AND t.typname = ?")) {
                ps.setString(1, c.baseSchema());
                ps.setString(2, c.baseName());
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        l.labels.add(rs.getString(1));
                    }
                }
            }
            enums.put(id, l);
        }
        return l;
    }

    @Override
    public void pause(String table, long lsn, String sqlstate, String reason) throws SQLException {
        PausedTables.pause(warehouse(), target.rawSchema(), ref(table), lsn, sqlstate, reason);
    }

    @Override
    public long resumedAt(String table) throws SQLException {
        PausedTables.Pause p =
                PausedTables.read(warehouse(), target.rawSchema()).get(ref(table).dotted());
        return p == null ? Long.MIN_VALUE : p.resumedAt();
    }

    private TableRef ref(String table) {
        TableRef ref = target.tables().get(table);
        return ref != null
                ? ref
                : TableRef.parse(
                        table); // captured after the build; names hold no dots (refused at capture)
    }

    private String rawTable(TableRef ref) {
        return RawTables.qualified(target.rawSchema(), ref);
    }

    private Connection source() {
        if (source == null) {
            source = open(target.source(), "source");
        }
        return source;
    }

    private Connection warehouse() {
        if (warehouse == null) {
            warehouse = open(target.warehouse(), "target");
        }
        return warehouse;
    }

    private Connection pinConnection() {
        return open(target.warehouse(), "target");
    }

    private Connection open(PgEndpoint endpoint, String which) {
        Connection c = Connections.forJob(endpoint, which, "flink-elt schema " + role);
        try (Statement st = c.createStatement()) {
            // values converted here are printed as the stream printed them
            st.execute(Connections.TEXT_SESSION);
        } catch (SQLException e) {
            throw new IllegalStateException(
                    "cannot set up a " + which + " connection (SQLSTATE " + e.getSQLState() + ")",
                    e);
        }
        return c;
    }

    @Override
    public void close() throws SQLException {
        List<SQLException> errors = new ArrayList<>();
        try {
            pins.close();
        } catch (SQLException e) {
            errors.add(e);
        }
        for (Connection c : new Connection[] {source, warehouse}) {
            if (c != null) {
                try {
                    c.close();
                } catch (SQLException e) {
                    errors.add(e);
                }
            }
        }
        if (!errors.isEmpty()) {
            throw errors.get(0);
        }
    }
}
