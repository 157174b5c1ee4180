package org.cityops.local;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.zip.GZIPInputStream;
import org.cityops.livestate.LiveViews;
import org.cityops.testing.TestInfra;

/** The bundled demo day (data/demo) and the stack the ITCases start around it. */
final class DemoDay {

    static final Path ROOT = Path.of(System.getProperty("cityops.root", ".."));

    private DemoDay() {}

    /** Lines {@code from} (inclusive) to {@code to} (exclusive) of {@code feed}'s demo file. */
    static List<String> lines(String feed, int from, int to) throws IOException {
        Path file = ROOT.resolve("data/demo/" + feed + ".jsonl.gz");
        List<String> lines = new ArrayList<>();
        try (BufferedReader in =
                new BufferedReader(
                        new InputStreamReader(
                                new GZIPInputStream(Files.newInputStream(file)),
                                StandardCharsets.UTF_8))) {
            String line;
            for (int n = 0; (line = in.readLine()) != null && n < to; n++) {
                if (n >= from) {
                    lines.add(line);
                }
            }
        }
        return lines;
    }

    /**
     * A stack on the shared Kafka and Redis, with topics and keys of its own, replaying nothing.
     */
    static LocalStackOptions stack(Path dir, String prefix, String secret) {
        return LocalStackOptions.withoutReplay(
                dir.resolve("data"),
                null,
                TestInfra.kafkaBootstrapServers(),
                LiveViews.redisTarget(TestInfra.redisUri(), prefix),
                prefix,
                secret,
                List.of());
    }
}
