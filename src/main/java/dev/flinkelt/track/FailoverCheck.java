package dev.flinkelt.track;

import dev.flinkelt.config.Findings;
import dev.flinkelt.config.Identifiers;
import dev.flinkelt.config.PipelineConfig;
import dev.flinkelt.pg.Connections;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * What a failover of the source would do to the pipeline: it must read the primary (logical
 * decoding follows one server's WAL), and a standby keeps the pipeline's slot only from PostgreSQL
 * 17 on, as a failover slot synced to it, with the primary never sending the pipeline a change the
 * standby lacks ({@code synchronized_standby_slots}); else a promotion leaves the pipeline without
 * its slot, and it stops rather than skip the gap.
 */
final class FailoverCheck {
    private static final String SERVER = SourceCheck.SERVER;

    private FailoverCheck() {}

    static void check(Connection conn, PipelineConfig config, Findings out) throws SQLException {
        if ("t".equals(Connections.rows(conn, "SELECT pg_is_in_recovery()").get(0))) {
            out.fail(
                    SERVER,
                    "the source connection reached a standby (in recovery); the pipeline reads the primary."
                            + " Fix: name the primary in "
                            + config.source.key()
                            + ", or list every server with targetServerType=primary"
                            + " (jdbc:postgresql://a:5432,b:5432/db?targetServerType=primary)");
            return;
        }
        // standbys streaming from this server: walsenders that are not logical slots' readers
        List<String> standbys =
                Connections.rows(
                        conn,
                        "SELECT coalesce(s.slot_name, '') FROM pg_stat_replication r"
                                + " LEFT JOIN pg_replication_slots s ON s.active_pid = r.pid"
                                + " WHERE s.slot_type IS DISTINCT FROM 'logical'");
        int major = conn.getMetaData().getDatabaseMajorVersion();
        if (major < 17) {
            if (!standbys.isEmpty()) {
                out.warn(
                        SERVER,
                        standbys.size()
                                + " standby(s) stream from this server, but before PostgreSQL 17 a standby keeps no"
                                + " logical slot: after a promotion the pipeline stops (its slot is missing) and"
                                + " needs --fresh, a new snapshot of every table. PostgreSQL 17 failover slots keep it");
            }
            return;
        }
        List<String> flags =
                Connections.rows(
                        conn,
                        "SELECT failover FROM pg_replication_slots WHERE slot_name = "
                                + Identifiers.literal(config.slot));
        out.ok(
                SERVER,
                "slot '"
                        + config.slot
                        + "' "
                        + (flags.isEmpty()
                                ? "is made a failover slot"
                                : "t".equals(flags.get(0))
                                        ? "is a failover slot"
                                        : "is made a failover slot when the job starts")
                        + " (standbys that sync slots keep it)");
        Set<String> synced =
                Arrays.stream(Connections.setting(conn, "synchronized_standby_slots").split(","))
                        .map(String::trim)
                        .filter(s -> !s.isEmpty())
                        .collect(Collectors.toSet());
        for (String slot : synced) {
            if (!standbys.contains(slot)) {
                // the primary sends logical changes only once every listed slot has them: a slot
                // nobody streams holds the pipeline's stream
                out.warn(
                        SERVER,
                        "synchronized_standby_slots names '"
                                + slot
                                + "', but no standby streams through that slot (it is missing, or its standby is"
                                + " down): the server holds the pipeline's changes until it does. Fix: start the"
                                + " standby, or remove the slot from synchronized_standby_slots");
            }
        }
        if (standbys.isEmpty()) {
            return;
        }
        for (String slot : standbys) {
            if (slot.isEmpty()) {
                out.warn(
                        SERVER,
                        "a standby streams from this server without a replication slot: it cannot sync the"
                                + " pipeline's slot, so a promotion of it leaves the pipeline without one. Fix: give the"
                                + " standby a physical slot (primary_slot_name), sync_replication_slots = on,"
                                + " hot_standby_feedback = on and a dbname in its primary_conninfo");
            } else if (!synced.contains(slot)) {
                out.warn(
                        SERVER,
                        "standby slot '"
                                + slot
                                + "' is not in synchronized_standby_slots: the pipeline may load changes that"
                                + " standby never received, which a promotion of it then lacks. Fix: ALTER SYSTEM SET"
                                + " synchronized_standby_slots = '"
                                + slot
                                + "'; SELECT pg_reload_conf(); and on the standby: sync_replication_slots = on,"
                                + " hot_standby_feedback = on, a dbname in primary_conninfo");
            } else {
                out.ok(
                        SERVER,
                        "standby slot '"
                                + slot
                                + "' is in synchronized_standby_slots: the pipeline never reads past what it"
                                + " received");
            }
        }
    }
}
