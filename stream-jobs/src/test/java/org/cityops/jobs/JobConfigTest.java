package org.cityops.jobs;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class JobConfigTest {

    @TempDir Path dir;

    private static JobConfig config(String... pairs) {
        Map<String, String> p = new HashMap<>(Map.of("kafka", "k:9092", "live-view", "memory:x"));
        for (int i = 0; i < pairs.length; i += 2) {
            p.put(pairs[i], pairs[i + 1]);
        }
        return JobConfig.fromMap(p);
    }

    @Test
    void resumeLatestStartsFromTheNewestRetainedCheckpointOrFresh() throws Exception {
        String checkpoints = dir.toUri().toString();
        assertThat(config("checkpoint-dir", checkpoints, "resume", "latest").resumePath())
                .as("nothing retained yet: start fresh")
                .isEmpty();
        Path older = Files.createDirectories(dir.resolve("job-a/chk-7"));
        Files.writeString(older.resolve("_metadata"), "x");
        older.resolve("_metadata").toFile().setLastModified(1_000_000);
        Path newer = Files.createDirectories(dir.resolve("job-b/chk-2"));
        Files.writeString(newer.resolve("_metadata"), "x");

        assertThat(
                        config("checkpoint-dir", checkpoints, "resume", "latest")
                                .flinkConfiguration()
                                .toMap())
                .containsEntry("execution.state-recovery.path", newer.toUri().toString());
        assertThatThrownBy(
                        () ->
                                config("checkpoint-dir", "s3://b/cp", "resume", "latest")
                                        .resumePath())
                .hasMessageContaining("local --checkpoint-dir");
    }

    @Test
    void restartsBackOffExponentiallyUnlessNoneAreAllowed() {
        assertThat(config().flinkConfiguration().toMap())
                .containsEntry("restart-strategy.type", "exponential-delay")
                .containsEntry(
                        "restart-strategy.exponential-delay.attempts-before-reset-backoff", "20");
        assertThat(config("restart-attempts", "0").flinkConfiguration().toMap())
                .containsEntry("restart-strategy.type", "fixed-delay")
                .containsEntry("restart-strategy.fixed-delay.attempts", "0");
    }
}
