package dev.flinkelt.runtime;

import dev.flinkelt.config.ConfigException;
import dev.flinkelt.config.PipelineException;

import org.apache.flink.core.fs.FileStatus;
import org.apache.flink.core.fs.FileSystem;
import org.apache.flink.core.fs.Path;
import org.apache.flink.runtime.checkpoint.Checkpoints;
import org.apache.flink.runtime.checkpoint.OperatorState;
import org.apache.flink.runtime.checkpoint.OperatorSubtaskState;
import org.apache.flink.runtime.checkpoint.metadata.CheckpointMetadata;
import org.apache.flink.runtime.state.IncrementalKeyedStateHandle;
import org.apache.flink.runtime.state.KeyGroupsSavepointStateHandle;
import org.apache.flink.runtime.state.KeyGroupsStateHandle;
import org.apache.flink.runtime.state.KeyedStateHandle;

import java.io.DataInputStream;
import java.io.IOException;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * The retained checkpoints of one job of a pipeline ({@code <dir>/<job id>/chk-<n>/_metadata}), so
 * that the same command started again after a crash resumes where the last run left off. A fresh
 * start leaves a marker ({@code <dir>/_fresh-since}): checkpoints older than it belong to the run
 * before, and are not resumed from even when the fresh run dies before its own first checkpoint.
 * Works on any Flink file system.
 */
public final class RetainedCheckpoints {
    private static final String METADATA = "_metadata";
    static final String FRESH_MARKER = "_fresh-since";

    private RetainedCheckpoints() {}

    /**
     * The newest completed checkpoint under {@code dir} (by the time its metadata was written), if
     * any.
     */
    public static Optional<String> latest(String dir) {
        try {
            Path root = new Path(dir);
            FileSystem fs = root.getFileSystem();
            if (!fs.exists(root)) {
                return Optional.empty();
            }
            Path marker = new Path(root, FRESH_MARKER);
            long since =
                    fs.exists(marker)
                            ? fs.getFileStatus(marker).getModificationTime()
                            : Long.MIN_VALUE;
            Path best = null;
            long bestTime = Long.MIN_VALUE;
            for (FileStatus job : list(fs, root)) {
                if (!job.isDir()) {
                    continue;
                }
                for (FileStatus chk : list(fs, job.getPath())) {
                    if (!chk.isDir() || !chk.getPath().getName().startsWith("chk-")) {
                        continue;
                    }
                    Path metadata = new Path(chk.getPath(), METADATA);
                    if (fs.exists(metadata)) { // a checkpoint in progress has no metadata yet
                        long t = fs.getFileStatus(metadata).getModificationTime();
                        if (t > bestTime && t >= since) {
                            bestTime = t;
                            best = chk.getPath();
                        }
                    }
                }
            }
            return Optional.ofNullable(best).map(Path::toString);
        } catch (IOException e) {
            throw new PipelineException(
                    "cannot look for retained checkpoints in " + dir + ": " + e.getMessage(), e);
        }
    }

    /**
     * Marks a fresh start in {@code dir}: from now on {@link #latest} sees only checkpoints written
     * after this moment (by the file system's clock, the one that stamps the checkpoints too).
     */
    public static void markFresh(String dir) {
        try {
            Path root = new Path(dir);
            FileSystem fs = root.getFileSystem();
            fs.mkdirs(root);
            fs.create(new Path(root, FRESH_MARKER), FileSystem.WriteMode.OVERWRITE).close();
        } catch (IOException e) {
            throw new ConfigException(
                    "cannot mark a fresh start in "
                            + dir
                            + ": "
                            + e.getMessage()
                            + ". Fix: make the checkpoint directory writable (pipeline.checkpoint-dir)",
                    e);
        }
    }

    private static FileStatus[] list(FileSystem fs, Path p) throws IOException {
        FileStatus[] s = fs.listStatus(p);
        return s == null ? new FileStatus[0] : s;
    }

    /** The checkpoint id a savepoint or retained checkpoint was taken at. */
    public static OptionalLong checkpointId(String pointer) {
        return OptionalLong.of(metadata(pointer).getCheckpointId());
    }

    /**
     * The state backend that wrote a checkpoint's keyed state: {@code rocksdb} (its incremental
     * files), {@code hashmap} (key groups written whole), empty when it holds no keyed state or is
     * a savepoint (Flink's portable format). A native checkpoint restores only into the backend
     * that wrote it.
     */
    static Optional<String> keyedStateBackend(CheckpointMetadata metadata) {
        for (OperatorState op : metadata.getOperatorStates()) {
            for (OperatorSubtaskState sub : op.getStates()) {
                for (KeyedStateHandle h : sub.getManagedKeyedState()) {
                    if (h instanceof IncrementalKeyedStateHandle) {
                        return Optional.of("rocksdb");
                    }
                    if (h instanceof KeyGroupsSavepointStateHandle) {
                        return Optional.empty();
                    }
                    if (h instanceof KeyGroupsStateHandle) {
                        return Optional.of("hashmap");
                    }
                }
            }
        }
        return Optional.empty();
    }

    /** The metadata of a savepoint or retained checkpoint (a directory or its _metadata file). */
    static CheckpointMetadata metadata(String pointer) {
        Path p = new Path(pointer);
        try {
            FileSystem fs = p.getFileSystem();
            Path metadata = p.getName().equals(METADATA) ? p : new Path(p, METADATA);
            try (DataInputStream in = new DataInputStream(fs.open(metadata))) {
                return Checkpoints.loadCheckpointMetadata(
                        in, RetainedCheckpoints.class.getClassLoader(), pointer);
            }
        } catch (IOException e) {
            throw new ConfigException(
                    "cannot read the savepoint or checkpoint "
                            + pointer
                            + ": "
                            + e.getMessage()
                            + ". Fix: pass the directory that holds its _metadata file, or start with --fresh",
                    e);
        }
    }
}
