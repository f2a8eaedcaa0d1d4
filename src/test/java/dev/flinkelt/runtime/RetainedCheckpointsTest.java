package dev.flinkelt.runtime;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

class RetainedCheckpointsTest {
    private static void checkpoint(Path dir, String job, int n, long modified) throws Exception {
        Path chk = Files.createDirectories(dir.resolve(job).resolve("chk-" + n));
        File metadata = Files.writeString(chk.resolve("_metadata"), "x").toFile();
        assertThat(metadata.setLastModified(modified)).isTrue();
    }

    @Test
    void aFreshStartHidesTheCheckpointsOfTheRunBeforeEvenBeforeItsOwnFirstCheckpoint(
            @TempDir Path dir) throws Exception {
        long now = System.currentTimeMillis();
        checkpoint(dir, "job-a", 7, now - 60_000);
        checkpoint(dir, "job-a", 8, now - 50_000);
        assertThat(RetainedCheckpoints.latest(dir.toUri().toString()))
                .hasValueSatisfying(p -> assertThat(p).endsWith("chk-8"));

        RetainedCheckpoints.markFresh(dir.toUri().toString());
        assertThat(RetainedCheckpoints.latest(dir.toUri().toString()))
                .as("the fresh run died before its first checkpoint")
                .isEmpty();

        checkpoint(dir, "job-b", 1, now + 5_000);
        assertThat(RetainedCheckpoints.latest(dir.toUri().toString()))
                .hasValueSatisfying(p -> assertThat(p).endsWith("job-b/chk-1"));
    }

    @Test
    void aFreshStartIntoADirectoryNotMadeYetMakesIt(@TempDir Path dir) {
        Path missing = dir.resolve("pipeline").resolve("extract-load");
        RetainedCheckpoints.markFresh(missing.toUri().toString());
        assertThat(Files.exists(missing.resolve(RetainedCheckpoints.FRESH_MARKER))).isTrue();
        assertThat(RetainedCheckpoints.latest(missing.toUri().toString())).isEmpty();
    }
}
