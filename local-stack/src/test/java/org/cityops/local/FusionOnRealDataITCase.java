package org.cityops.local;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.cityops.livestate.Documents;
import org.cityops.livestate.IncidentQuery;
import org.cityops.livestate.LiveView;
import org.cityops.livestate.LiveViews;
import org.cityops.replay.FeedCounts;
import org.cityops.replay.ReplayReport;
import org.cityops.replay.Replayer;
import org.cityops.replay.Speed;
import org.cityops.schemas.topics.Topics;
import org.cityops.testing.TestInfra;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * December 2018 in San Francisco — every SFPD incident report and the SFFD calls of six
 * neighbourhoods, converted to the contract (data/december-2018) — through the real pipeline.
 * Checks that every accepted report belongs to exactly one incident and reports how many incidents
 * involve more than one department, with the biggest clusters, in target/fusion-report.
 */
@Timeout(value = 5, unit = TimeUnit.MINUTES)
class FusionOnRealDataITCase {

    @Test
    void fusesARealMonthOfPoliceAndFireEmsReports(@TempDir Path dir) throws Exception {
        String prefix = TestInfra.uniquePrefix("december");
        String target = LiveViews.redisTarget(TestInfra.redisUri(), prefix);
        Path data = Path.of(System.getProperty("cityops.root", "..")).resolve("data/december-2018");
        List<Path> files =
                List.of(
                        data.resolve("police.calls.jsonl.gz"),
                        data.resolve("fire.alarms.jsonl.gz"),
                        data.resolve("medical.calls.jsonl.gz"));
        try (LocalStack stack =
                        new LocalStack(
                                        LocalStackOptions.withoutReplay(
                                                dir,
                                                null,
                                                TestInfra.kafkaBootstrapServers(),
                                                target,
                                                prefix,
                                                "a-fusion-report-secret-of-at-least-32-bytes",
                                                List.of(Path.of("../rules/starter-rules.json"))))
                                .start();
                LiveView live = LiveViews.open(target)) {
            ReplayReport replay;
            long started = System.nanoTime();
            try (Replayer replayer = new Replayer(stack.kafka(), Topics.withPrefix(prefix))) {
                replay = replayer.replay(files, null, Speed.MAX, null);
            }
            long accepted = replay.feeds().stream().mapToLong(FeedCounts::accepted).sum();
            // A sender may reuse an id (SFPD: several incident numbers under one CAD number): a
            // later
            // record with the same id revises that report, so incidents hold one report per
            // distinct id.
            long distinctReports = distinctIds(files);
            await().atMost(Duration.ofMinutes(3))
                    .pollInterval(Duration.ofSeconds(1))
                    .untilAsserted(
                            () ->
                                    assertThat(
                                                    live.feedHealth().stream()
                                                            .map(Documents::parse)
                                                            .mapToLong(
                                                                    f -> f.get("accepted").asLong())
                                                            .sum())
                                            .isEqualTo(accepted));
            // Fusion and the incident writes trail the counts by a moment: wait until every report
            // is placed.
            await().atMost(Duration.ofMinutes(1))
                    .pollInterval(Duration.ofSeconds(1))
                    .untilAsserted(
                            () ->
                                    assertThat(reportsIn(incidents(live)))
                                            .isEqualTo(distinctReports));
            double seconds = (System.nanoTime() - started) / 1e9;

            List<ObjectNode> incidents = incidents(live);
            List<ObjectNode> open =
                    incidents.stream()
                            .filter(i -> !i.get("status").asText().equals("MERGED"))
                            .toList();
            List<ObjectNode> multiReport =
                    open.stream().filter(i -> i.withArray("reports").size() > 1).toList();
            List<ObjectNode> multiDepartment =
                    open.stream().filter(i -> i.withArray("departments").size() > 1).toList();
            long placedIds =
                    incidents.stream()
                            .flatMap(i -> toList(eventIds(i)).stream())
                            .distinct()
                            .count();
            assertThat(reportsIn(incidents))
                    .as("every accepted report belongs to exactly one incident")
                    .isEqualTo(distinctReports)
                    .isEqualTo(placedIds);
            assertThat(multiDepartment)
                    .as("police and EMS reports of the same events fuse")
                    .isNotEmpty();
            assertThat(open.size()).isLessThan((int) accepted);

            // Absence rules fire as event time passes; feeds with no data (traffic here) stop
            // holding
            // event time back once idle (30 s), after which the month's absence checks come due.
            await().atMost(Duration.ofSeconds(90))
                    .pollInterval(Duration.ofSeconds(2))
                    .until(
                            () ->
                                    live.alerts(500, true).stream()
                                            .anyMatch(
                                                    a ->
                                                            a.contains(
                                                                    "\"ruleId\":\"collision-without-ems\"")));
            Map<String, Long> alertsByRule =
                    live.alerts(500, true).stream()
                            .map(Documents::parse)
                            .collect(
                                    Collectors.groupingBy(
                                            a -> a.get("ruleId").asText(),
                                            java.util.TreeMap::new,
                                            Collectors.counting()));
            writeReport(replay, accepted, open, multiReport, multiDepartment, seconds);
            Files.writeString(
                    Path.of("target/fusion-report/december-2018.md"),
                    "\n## Starter rules on the same month\n\nAlerts by rule (the newest 500 kept in the live view): "
                            + alertsByRule
                            + "\n",
                    java.nio.file.StandardOpenOption.APPEND);
        }
    }

    private static JsonNode eventIds(ObjectNode incident) {
        var ids = Documents.JSON.createArrayNode();
        incident.withArray("reports")
                .forEach(
                        r -> {
                            if (!r.get("feed").asText().equals("cityops.rules")) {
                                ids.add(r.get("eventId").asText());
                            }
                        });
        return ids;
    }

    private static long distinctIds(List<Path> files) throws Exception {
        java.util.Set<String> ids = new java.util.HashSet<>();
        for (Path file : files) {
            var spec = Replayer.feedOfFile(file);
            var decoder = new org.cityops.schemas.contract.FeedDecoder<>(spec);
            try (var lines =
                    new java.io.BufferedReader(
                            new java.io.InputStreamReader(
                                    new java.util.zip.GZIPInputStream(Files.newInputStream(file)),
                                    java.nio.charset.StandardCharsets.UTF_8))) {
                String line;
                while ((line = lines.readLine()) != null) {
                    if (decoder.decodeJson(line)
                            instanceof org.cityops.schemas.contract.Decoded.Accepted<?> a) {
                        ids.add(spec.name() + "/" + spec.idOf(a.record()));
                    }
                }
            }
        }
        return ids.size();
    }

    private static List<ObjectNode> incidents(LiveView live) {
        return live.incidents(IncidentQuery.all(100_000)).documents().stream()
                .map(Documents::parse)
                .toList();
    }

    /**
     * Department reports only: a detection rule files its own report when it creates an incident.
     */
    private static long reportsIn(List<ObjectNode> incidents) {
        return incidents.stream().mapToLong(i -> toList(eventIds(i)).size()).sum();
    }

    private static void writeReport(
            ReplayReport replay,
            long accepted,
            List<ObjectNode> open,
            List<ObjectNode> multiReport,
            List<ObjectNode> multiDepartment,
            double seconds)
            throws Exception {
        StringBuilder md =
                new StringBuilder("# Fusion on real data: San Francisco, December 2018\n\n");
        md.append("Replayed through the real pipeline (Kafka, Flink MiniCluster, Redis) in ")
                .append(String.format("%.0f", seconds))
                .append(" s, default fusion configuration.\n\n```\n")
                .append(replay.table())
                .append("```\n\n");
        md.append(
                String.format(
                        "- accepted reports: %,d%n- incidents: %,d%n- incidents with more than one report: %,d%n"
                                + "- incidents involving more than one department: %,d%n%n",
                        accepted, open.size(), multiReport.size(), multiDepartment.size()));
        Map<String, Long> pairs =
                multiDepartment.stream()
                        .collect(
                                Collectors.groupingBy(
                                        i ->
                                                String.join(
                                                        " + ",
                                                        toList(i.withArray("departments")).stream()
                                                                .sorted()
                                                                .toList()),
                                        Collectors.counting()));
        md.append("Department combinations: ").append(pairs).append("\n\n## Biggest clusters\n\n");
        md.append(
                "| incident | reports | departments | category | district | first → last report (UTC) |\n|---|---|---|---|---|---|\n");
        open.stream()
                .sorted(
                        Comparator.comparingInt((ObjectNode i) -> i.withArray("reports").size())
                                .reversed())
                .limit(10)
                .forEach(
                        i ->
                                md.append(
                                        String.format(
                                                "| %s | %d | %s | %s | %s | %s → %s |%n",
                                                i.get("incidentId").asText(),
                                                i.withArray("reports").size(),
                                                String.join(
                                                        ", ", toList(i.withArray("departments"))),
                                                i.get("category").asText(),
                                                i.path("location").path("district").asText(),
                                                i.get("firstReportAt").asText(),
                                                i.get("lastReportAt").asText())));
        md.append("\n## Multi-department examples\n\n");
        multiDepartment.stream()
                .limit(8)
                .forEach(
                        i -> {
                            md.append("- **")
                                    .append(i.get("title").asText())
                                    .append("** (")
                                    .append(i.get("incidentId").asText())
                                    .append("):");
                            for (JsonNode r : i.withArray("reports")) {
                                md.append(" ")
                                        .append(r.get("feed").asText())
                                        .append(" ")
                                        .append(r.get("originalCategory").asText())
                                        .append(" at ")
                                        .append(r.get("reportedAt").asText())
                                        .append(";");
                            }
                            md.append('\n');
                        });
        Path out = Path.of("target/fusion-report/december-2018.md");
        Files.createDirectories(out.getParent());
        Files.writeString(out, md.toString());
    }

    private static List<String> toList(JsonNode array) {
        return java.util.stream.StreamSupport.stream(array.spliterator(), false)
                .map(JsonNode::asText)
                .toList();
    }
}
