package dev.flinkelt.config;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import org.apache.flink.util.TimeUtils;

import java.io.IOException;
import java.io.Serializable;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * The whole pipeline configuration, read from one YAML file. Immutable and serializable (shipped
 * with the job).
 */
public final class PipelineConfig implements Serializable {
    private static final long serialVersionUID = 1L;

    /**
     * Replication slot and publication names the CDC source can use unquoted (pgoutput lower-cases
     * names).
     */
    private static final Pattern PG_NAME = Pattern.compile("[a-z_][a-z0-9_]*");

    /**
     * Snapshot readers add {@code _<subtask>} to the slot name; PostgreSQL allows 63 characters.
     */
    private static final int MAX_SLOT_LENGTH = 56;

    public final PgEndpoint source;
    public final List<String> tables;
    public final Map<String, List<String>> keyColumns;
    public final String slot;
    public final String publication;

    /**
     * Source table through which the pipeline is signalled (re-snapshot requests, new tables,
     * snapshot windows).
     */
    public final TableRef signalTable;

    /** Messages, or rows of {@link #signalTable} ({@code source.signals}). */
    public final SignalChannel signals;

    public final PgEndpoint target;
    public final String rawSchema;

    /**
     * Columns of types the warehouse lacks land as text ({@code target.missing-types: text})
     * instead of refusing the start.
     */
    public final boolean missingTypesAsText;

    public final int parallelism;
    public final Duration checkpointInterval;
    public final String checkpointDir;
    public final int restartAttempts;
    public final Duration restartDelay;
    public final Duration restartMaxDelay;
    public final Duration checkpointTimeout;
    public final int tolerableCheckpointFailures;
    public final boolean unalignedCheckpoints;
    public final int retainedCheckpoints;
    public final Duration heartbeatInterval;

    /**
     * A local run's Prometheus port (the first free one of it and the nine after it: a second job
     * of the process takes the next); 0 for none. A cluster's own configuration decides there.
     */
    public final int metricsPort;

    /** Rows per COPY batch of each sink subtask (one savepoint each). */
    public final int batchSize;

    public final OnReject onReject;

    /**
     * Rows per snapshot chunk; 0 = auto (sized from the captured tables' row width, see
     * SnapshotChunks).
     */
    public final int snapshotChunkSize;

    /** Connections reading a snapshot window's key ranges at once (see track.RangeReads). */
    public final int snapshotReaders;

    static final int MAX_SNAPSHOT_READERS = 32;

    private final TransformSettings transform;

    private PipelineConfig(Section root) {
        Section s = root.section("source", true);
        source =
                PgEndpoint.parse(
                        "source.url",
                        s.string("url", null),
                        s.string("username", null),
                        s.optionalString("password"));
        tables = s.stringList("tables", true);
        keyColumns = s.stringListMap("key-columns");
        slot = s.string("slot", "flink_elt");
        publication = s.string("publication", "flink_elt");
        signalTable = TableRef.parse(s.string("signal-table", "public.flink_elt_signal"));
        signals =
                new SignalChannel(
                        "messages".equals(s.oneOf("signals", "messages", "messages", "table")),
                        signalTable);
        s.rejectUnknown();
        checkName("source.slot", slot, "replication slot");
        checkName("source.publication", publication, "publication");
        if (publication.length() > 55) {
            throw new ConfigException(
                    "source.publication '"
                            + publication
                            + "' is longer than 55 characters; the pipeline adds _inserts to it for tables"
                            + " without a replica identity and PostgreSQL allows 63");
        }
        if (slot.length() > MAX_SLOT_LENGTH) {
            throw new ConfigException(
                    "source.slot '"
                            + slot
                            + "' is longer than "
                            + MAX_SLOT_LENGTH
                            + " characters; the snapshot readers add _<subtask> to it and PostgreSQL allows 63");
        }

        Section t = root.section("target", true);
        target =
                PgEndpoint.parse(
                        "target.url",
                        t.string("url", null),
                        t.string("username", null),
                        t.optionalString("password"));
        rawSchema = t.string("raw-schema", "raw");
        missingTypesAsText = "text".equals(t.oneOf("missing-types", "fail", "fail", "text"));
        t.rejectUnknown();

        Section p = root.section("pipeline", false);
        parallelism = p.positiveInt("parallelism", 1);
        checkpointInterval = p.duration("checkpoint-interval", Duration.ofSeconds(10));
        checkpointDir = p.string("checkpoint-dir", "file:///tmp/flink-elt/checkpoints");
        // defaults as in flink-conf/config.yaml (FlinkConfDefaultsTest keeps them equal)
        restartAttempts = p.positiveInt("restart-attempts", 20);
        restartDelay = p.duration("restart-delay", Duration.ofSeconds(1));
        restartMaxDelay = p.duration("restart-max-delay", Duration.ofMinutes(1));
        checkpointTimeout = p.duration("checkpoint-timeout", Duration.ofMinutes(10));
        tolerableCheckpointFailures = p.positiveInt("tolerable-checkpoint-failures", 3);
        unalignedCheckpoints = p.bool("unaligned-checkpoints", false);
        retainedCheckpoints = p.positiveInt("retained-checkpoints", 3);
        heartbeatInterval = p.duration("heartbeat-interval", Duration.ofSeconds(10));
        batchSize = p.positiveInt("batch-size", 10000);
        onReject = p.choice("on-reject", OnReject.QUARANTINE);
        snapshotChunkSize = p.positiveIntOr("snapshot-chunk-size", "auto");
        snapshotReaders = p.positiveInt("snapshot-readers", 1);
        if (snapshotReaders > MAX_SNAPSHOT_READERS) {
            throw new ConfigException(
                    "pipeline.snapshot-readers is "
                            + snapshotReaders
                            + ", more than "
                            + MAX_SNAPSHOT_READERS
                            + ": each reader holds a source connection and a thread; set it to at most"
                            + " the source's idle cores");
        }
        metricsPort = p.portOrOff("metrics-port", 65535 - 9); // and the nine after it
        p.rejectUnknown();

        Section tr = root.section("transform", false);
        for (String gone : new String[] {"slot", "publication"}) {
            if (tr.has(gone)) {
                throw new ConfigException(
                        "transform."
                                + gone
                                + " is no longer used: the transform reads the raw tables with plain queries"
                                + " (no replication slot, publication or wal_level = logical on the warehouse). Remove it from the config; a slot an"
                                + " earlier version left on the warehouse can be dropped with SELECT pg_drop_replication_slot(slot_name)"
                                + " FROM pg_replication_slots WHERE slot_name LIKE '<slot>%' AND NOT active");
            }
        }
        transform =
                new TransformSettings(
                        tr.string("sql-dir", "transforms"),
                        tr.string("mirror-schema", "mirror"),
                        TransformSettings.Mode.parse(tr.string("mode", "streaming")),
                        tr.bool("soft-deletes", false),
                        tr.choice("state-backend", TransformSettings.StateBackend.ROCKSDB),
                        tr.duration(
                                "checkpoint-interval",
                                TransformSettings.DEFAULT_CHECKPOINT_INTERVAL));
        tr.rejectUnknown();
        root.rejectUnknown();

        if (checkpointInterval.toMillis() < 100) {
            throw new ConfigException("pipeline.checkpoint-interval must be at least 100ms");
        }
        if (transform.checkpointInterval().toMillis() < 100) {
            throw new ConfigException("transform.checkpoint-interval must be at least 100ms");
        }
    }

    private static void checkName(String key, String value, String what) {
        if (!PG_NAME.matcher(value).matches()) {
            throw new ConfigException(
                    key
                            + " '"
                            + value
                            + "' is not a usable "
                            + what
                            + " name: the CDC source needs"
                            + " lower-case letters, digits and underscores only (e.g. "
                            + value.toLowerCase().replaceAll("[^a-z0-9_]", "_")
                            + ")");
        }
    }

    public static PipelineConfig load(Path file) {
        return load(file, System.getenv());
    }

    public static PipelineConfig load(Path file, Map<String, String> env) {
        String text;
        try {
            text = Files.readString(file);
        } catch (IOException e) {
            throw new ConfigException("cannot read config file " + file + ": " + e.getMessage());
        }
        return parse(text, env);
    }

    public static PipelineConfig parse(String yaml, Map<String, String> env) {
        JsonNode root;
        try {
            root = new ObjectMapper(new YAMLFactory()).readTree(yaml);
        } catch (JsonProcessingException e) {
            throw new ConfigException(
                    "the config file is not valid YAML: "
                            + e.getOriginalMessage()
                            + (e.getLocation() == null
                                    ? ""
                                    : " (line " + e.getLocation().getLineNr() + ")"));
        }
        if (root == null || root.isMissingNode()) {
            throw new ConfigException(
                    "the config file is empty; it needs source, target and pipeline sections");
        }
        return new PipelineConfig(new Section("", root, env));
    }

    public TransformSettings transform() {
        return transform;
    }

    /** Key columns the config names for a table without a primary key, or an empty list. */
    public List<String> keyColumnsFor(TableRef table) {
        return keyColumnsFor(keyColumns, table);
    }

    /**
     * The key columns {@code source.key-columns} names for {@code table} (empty: use its primary
     * key).
     */
    public static List<String> keyColumnsFor(Map<String, List<String>> keyColumns, TableRef table) {
        for (Map.Entry<String, List<String>> e : keyColumns.entrySet()) {
            if (TableRef.parse(e.getKey()).equals(table)) {
                return e.getValue();
            }
        }
        return List.of();
    }

    /** A summary safe to print: no passwords, no URL parameters. */
    public Map<String, Object> describe() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("source", source.toString());
        m.put("tables", tables);
        m.put("slot", slot);
        m.put("publication", publication);
        m.put("signal-table", signalTable.dotted());
        m.put("target", target.toString());
        m.put("raw-schema", rawSchema);
        m.put("parallelism", parallelism);
        m.put("checkpoint-interval", TimeUtils.formatWithHighestUnit(checkpointInterval));
        m.put("checkpoint-dir", checkpointDir);
        m.put(
                "restart",
                restartAttempts
                        + " attempts, "
                        + TimeUtils.formatWithHighestUnit(restartDelay)
                        + " .. "
                        + TimeUtils.formatWithHighestUnit(restartMaxDelay));
        return m;
    }
}
