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

    /**
     * {@code n} police reports 400 ms apart across the city from 2018-12-08, as contract JSON lines
     * with call ids {@code <idPrefix>-0 ...}: a backlog for the fault drills.
     */
    static Path policeReports(Path file, int n, String idPrefix) throws IOException {
        java.util.Random random = new java.util.Random(7);
        String[] categories = {"ROBBERY", "BURGLARY", "ASSAULT", "THEFT", "VANDALISM"};
        java.time.Instant time = java.time.Instant.parse("2018-12-08T00:00:00Z");
        List<String> lines = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            time = time.plusMillis(400);
            lines.add(
                    String.format(
                            java.util.Locale.ROOT,
                            "{\"callId\":\"%s-%d\",\"receivedAt\":\"%s\",\"category\":\"%s\","
                                    + "\"priority\":%d,\"location\":{\"lat\":%.5f,\"lon\":%.5f}}",
                            idPrefix,
                            i,
                            time,
                            categories[random.nextInt(categories.length)],
                            1 + random.nextInt(4),
                            37.71 + random.nextDouble() * 0.09,
                            -122.50 + random.nextDouble() * 0.12));
        }
        return Files.write(file, lines);
    }

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
