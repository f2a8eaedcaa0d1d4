package dev.flinkelt.support;

import dev.flinkelt.demo.PgServer;
import dev.flinkelt.runtime.JobEnvironment;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.sql.Connection;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;

import static dev.flinkelt.support.TestDatabases.exec;

/**
 * A primary and a physical standby streaming from it (slot {@code standby1}, application name
 * {@code standby1}): the standby is a copy of the cleanly stopped primary's data directory, as
 * {@code pg_basebackup} would make it (the embedded binaries do not ship it). The primary can be
 * SIGKILLed and the standby promoted.
 */
public final class StandbyPair implements AutoCloseable {
    public final PgServer primary;
    public final PgServer standby;
    private final Path primaryDir;

    private StandbyPair(PgServer primary, PgServer standby, Path primaryDir) {
        this.primary = primary;
        this.standby = standby;
        this.primaryDir = primaryDir;
    }

    /**
     * {@code binaries}: another major's binaries jar, or null; {@code primarySql}: run on the
     * primary before the copy (e.g. {@code ALTER SYSTEM}); {@code standbyConf}: lines for the
     * standby's {@code postgresql.auto.conf} after the copied ones (they win).
     */
    public static StandbyPair start(
            Path dir,
            Map<String, String> settings,
            Path binaries,
            List<String> primarySql,
            List<String> standbyConf)
            throws Exception {
        int primaryPort = JobEnvironment.freePort();
        int standbyPort = JobEnvironment.freePort();
        Path primaryDir = dir.resolve("primary");
        Path standbyDir = dir.resolve("standby");
        PgServer primary = start(settings, primaryDir, primaryPort, binaries);
        try (Connection c = primary.connect("postgres")) {
            List<String> sql = new ArrayList<>();
            sql.add("SELECT pg_create_physical_replication_slot('standby1', true)");
            sql.addAll(primarySql);
            exec(c, sql.toArray(String[]::new));
        }
        primary.close();
        copy(primaryDir, standbyDir);
        // PostgreSQL refuses a data directory others may read
        Files.setPosixFilePermissions(standbyDir, PosixFilePermissions.fromString("rwx------"));
        Files.createFile(standbyDir.resolve("standby.signal"));
        List<String> conf = new ArrayList<>();
        conf.add("");
        conf.add(
                "primary_conninfo = 'host=127.0.0.1 port="
                        + primaryPort
                        + " user=postgres dbname=postgres application_name=standby1'");
        conf.add("primary_slot_name = 'standby1'");
        conf.addAll(standbyConf);
        conf.add("");
        Files.writeString(
                standbyDir.resolve("postgresql.auto.conf"),
                String.join("\n", conf),
                StandardOpenOption.APPEND);
        primary = start(settings, primaryDir, primaryPort, binaries);
        PgServer standby = start(settings, standbyDir, standbyPort, binaries);
        return new StandbyPair(primary, standby, primaryDir);
    }

    private static PgServer start(Map<String, String> settings, Path dir, int port, Path binaries)
            throws IOException {
        return binaries == null
                ? PgServer.startRestartable(settings, dir, port)
                : PgServer.startRestartable(settings, dir, port, binaries);
    }

    /** Both servers, for the driver: a connection goes to whichever is the primary now. */
    public String url(String database) {
        return "jdbc:postgresql://127.0.0.1:"
                + primary.port()
                + ",127.0.0.1:"
                + standby.port()
                + "/"
                + database
                + "?targetServerType=primary";
    }

    /** {@code yaml} with the primary's URL of {@code database} replaced by {@link #url}. */
    public String reachingBoth(String yaml, String database) {
        return yaml.replace(primary.url(database), url(database));
    }

    /** SIGKILL of the primary's postmaster; returns once it is gone. */
    public void killPrimary() throws Exception {
        long pid = Long.parseLong(Files.readAllLines(primaryDir.resolve("postmaster.pid")).get(0));
        ProcessHandle postmaster = ProcessHandle.of(pid).orElseThrow();
        postmaster.destroyForcibly();
        postmaster.onExit().get();
    }

    /**
     * Once the standby has replayed all the primary has written so far, it stops receiving WAL: an
     * asynchronous standby that has fallen behind, as one does when its network is slow or down.
     */
    public void detachStandbyWhenCaughtUp() throws Exception {
        String lsn;
        try (Connection c = primary.connect("postgres")) {
            lsn = TestDatabases.rows(c, "SELECT pg_current_wal_lsn()").get(0);
        }
        try (Connection c = standby.connect("postgres")) {
            Poll.until(
                    Duration.ofMinutes(1),
                    () -> "the standby to replay up to " + lsn,
                    () ->
                            TestDatabases.count(
                                            c,
                                            "SELECT count(*) WHERE pg_last_wal_replay_lsn() >= '"
                                                    + lsn
                                                    + "'")
                                    == 1);
            exec(c, "ALTER SYSTEM SET primary_conninfo = ''", "SELECT pg_reload_conf()");
            Poll.until(
                    Duration.ofMinutes(1),
                    () -> "the standby's WAL receiver to stop",
                    () -> TestDatabases.count(c, "SELECT count(*) FROM pg_stat_wal_receiver") == 0);
        }
    }

    public void promote() throws Exception {
        try (Connection c = standby.connect("postgres")) {
            exec(c, "SELECT pg_promote()");
        }
    }

    @Override
    public void close() throws IOException {
        standby.close();
        try {
            primary.close();
        } catch (IOException | RuntimeException e) {
            // killed: nothing left to stop
        }
    }

    /** The data directory without what belongs to the running or last process. */
    private static void copy(Path from, Path to) throws IOException {
        Set<String> skip = Set.of("postmaster.pid", "postmaster.opts", "epg-lock");
        try (Stream<Path> all = Files.walk(from)) {
            for (Path f : (Iterable<Path>) all::iterator) {
                Path target = to.resolve(from.relativize(f).toString());
                if (Files.isDirectory(f)) {
                    Files.createDirectories(target);
                } else if (!skip.contains(f.getFileName().toString())) {
                    Files.copy(f, target);
                }
            }
        }
    }
}
