package dev.flinkelt.schema;

import dev.flinkelt.config.Identifiers;
import dev.flinkelt.config.PgEndpoint;
import dev.flinkelt.config.TableRef;
import dev.flinkelt.extract.ChangeEvent;
import dev.flinkelt.pg.Connections;
import dev.flinkelt.pg.LiveColumn;
import dev.flinkelt.pg.SourceCatalog;
import dev.flinkelt.pg.SqlErrors;
import dev.flinkelt.pg.UserType;
import dev.flinkelt.raw.RawColumns;
import dev.flinkelt.raw.RawTables;

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
                LayoutPlan.of(
                        raw,
                        names,
                        types,
                        LiveColumn.read(source(), ref.quoted()),
                        rawColumns,
                        lsn);
        if (plan.needsDdl()) {
            return null;
        }
        EnumLabels[] labels = new EnumLabels[layout.length];
        for (int i = 0; i < layout.length; i++) {
            LiveColumn c = plan.rawColumns().get(plan.positions()[i]);
            if (c.isEnum()) {
                labels[i] = enumLabels(c);
            }
        }
        return new Mapping(plan.positions(), plan.rawColumns().size(), labels);
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

    private boolean change(TableRef ref, String raw, List<String> names, String[] types, long lsn)
            throws SQLException {
        Connection wh = warehouse();
        wh.setAutoCommit(false);
        try (Statement st = wh.createStatement()) {
            st.execute("SET LOCAL lock_timeout = '" + LOCK_TIMEOUT + "'");
            st.execute("LOCK TABLE " + raw + " IN ACCESS EXCLUSIVE MODE");
            LayoutPlan plan =
                    LayoutPlan.of(
                            raw,
                            names,
                            types,
                            LiveColumn.read(source(), ref.quoted()),
                            LiveColumn.read(wh, raw),
                            lsn);
            SourceCatalog catalog = new SourceCatalog(source());
            for (LiveColumn c : plan.newTypes()) {
                UserType type = catalog.userType(c.baseSchema(), c.baseName());
                if (!RawTables.typeExists(wh, type)) {
                    st.execute("CREATE SCHEMA IF NOT EXISTS " + Identifiers.quote(type.schema()));
                    st.execute(type.createStatement());
                }
            }
            for (String ddl : plan.statements()) {
                st.execute(ddl);
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

    /**
     * Adds to the warehouse the labels of the event's enum values it lacks, in the source's order,
     * before the event is written ({@code ALTER TYPE … ADD VALUE} commits on its own; a label added
     * for nothing harms no one).
     */
    @Override
    public void ensureLabels(Mapping m, ChangeEvent mapped) throws SQLException {
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

    private Connection open(PgEndpoint endpoint, String which) {
        return Connections.forJob(endpoint, which, "flink-elt schema " + role);
    }

    @Override
    public void close() throws SQLException {
        List<SQLException> errors = new ArrayList<>();
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
