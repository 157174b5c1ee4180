package org.cityops.local;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.MappingIterator;
import com.fasterxml.jackson.dataformat.csv.CsvMapper;
import com.fasterxml.jackson.dataformat.csv.CsvSchema;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.WebClient;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.zip.GZIPInputStream;
import org.cityops.livestate.LiveViews;
import org.cityops.replay.FeedCounts;
import org.cityops.replay.ReplayReport;
import org.cityops.replay.Replayer;
import org.cityops.replay.Speed;
import org.cityops.replay.convert.ConvertMain;
import org.cityops.schemas.topics.Topics;
import org.cityops.testing.TestInfra;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The proof on real data: a week of San Francisco fire/EMS calls (data/sf-fire-week) converted by
 * {@code ./cityops convert sf-fire}, replayed at full speed with the first unit's real timestamps
 * as department feedback, through Kafka, the Flink job, Redis and dispatch-api. What CityOps
 * reports as the week's median and 90th percentile time to acknowledge, en route and on scene, per
 * department and per district, must equal — to the second — a calculation made here straight from
 * the CSV, grouping the calls by the incidents CityOps formed (read from the API).
 */
@Timeout(value = 6, unit = TimeUnit.MINUTES)
class SfFireWeekKpiITCase {

    static final Path CSV =
            Path.of(System.getProperty("cityops.root", ".."))
                    .resolve("data/sf-fire-week/Fire_Department_Calls_for_Service.csv.gz");
    static final List<String> COMPARED = List.of("acknowledge", "enRoute", "onScene");

    /** The CSV's columns for each compared phase: the first unit's time of reaching it. */
    static final Map<String, String> COLUMN =
            Map.of(
                    "acknowledge", "Dispatch DtTm",
                    "enRoute", "Response DtTm",
                    "onScene", "On Scene DtTm");

    @Test
    void theWeeksResponseTimesPerDepartmentAndDistrictAgreeWithTheCsvToTheSecond(@TempDir Path dir)
            throws Exception {
        ConvertMain.main(new String[] {"sf-fire", CSV.toString(), dir.toString()});
        List<Path> files =
                List.of(
                        dir.resolve("fire.alarms.jsonl"),
                        dir.resolve("medical.calls.jsonl"),
                        dir.resolve("dispatch.feedback.jsonl"));
        Map<String, Call> calls = readCalls(CSV);

        String prefix = TestInfra.uniquePrefix("sfweek");
        Vertx vertx = Vertx.vertx();
        try (LocalStack stack =
                new LocalStack(
                                LocalStackOptions.withoutReplay(
                                        dir.resolve("stack"),
                                        null,
                                        TestInfra.kafkaBootstrapServers(),
                                        LiveViews.redisTarget(TestInfra.redisUri(), prefix),
                                        prefix,
                                        "an-sf-week-kpi-test-secret-of-at-least-32-bytes",
                                        List.of()))
                        .start()) {
            ReplayReport replay;
            try (Replayer replayer = new Replayer(stack.kafka(), Topics.withPrefix(prefix))) {
                replay = replayer.replay(files, null, Speed.MAX, null);
            }
            for (FeedCounts feed : replay.feeds()) {
                assertThat(feed.rejected()).as(feed.feed() + " lines refused").isZero();
            }
            Api api = new Api(WebClient.create(vertx), stack);

            await().atMost(Duration.ofMinutes(4))
                    .pollInterval(Duration.ofSeconds(3))
                    .ignoreExceptions()
                    .untilAsserted(
                            () -> {
                                List<JsonObject> incidents = api.allIncidents();
                                assertThat(reportCount(incidents))
                                        .as("every call is a report in exactly one incident")
                                        .isEqualTo(calls.size());
                                Expected expected = expected(incidents, calls);
                                assertThat(api.kpis("department"))
                                        .as("per department")
                                        .isEqualTo(expected.byDepartment);
                                assertThat(api.kpis("district"))
                                        .as("per district")
                                        .isEqualTo(expected.byDistrict);
                            });

            List<JsonObject> incidents = api.allIncidents();
            Expected expected = expected(incidents, calls);
            assertThat(expected.byDepartment.get("medical").get("acknowledge").count())
                    .as("a real week, not a handful")
                    .isGreaterThan(2000);
            assertThat(expected.byDistrict).hasSizeGreaterThan(30);
            writeReport(replay, incidents, expected);
        } finally {
            vertx.close();
        }
    }

    // ---- the independent calculation, from the CSV -------------------------------------------

    /** A call's report key ("medical.calls/SFFD-163660033"), department and first unit's times. */
    record Call(String report, String department, Instant received, Map<String, Instant> phases) {}

    record Figures(long count, long median, long p90) {}

    record Expected(
            Map<String, Map<String, Figures>> byDepartment,
            Map<String, Map<String, Figures>> byDistrict) {}

    static Map<String, Call> readCalls(Path csv) throws Exception {
        DateTimeFormatter format = DateTimeFormatter.ofPattern("MM/dd/yyyy hh:mm:ss a", Locale.US);
        ZoneId sf = ZoneId.of("America/Los_Angeles");
        Map<String, Map<String, String>> firstUnit = new HashMap<>();
        try (InputStream in = new GZIPInputStream(Files.newInputStream(csv));
                MappingIterator<Map<String, String>> rows =
                        new CsvMapper()
                                .readerForMapOf(String.class)
                                .with(CsvSchema.emptySchema().withHeader())
                                .readValues(in)) {
            while (rows.hasNext()) {
                Map<String, String> row = rows.next();
                // the first unit dispatched on the call answers for it
                firstUnit.merge(
                        row.get("Call Number"), row, (a, b) -> sequence(b) < sequence(a) ? b : a);
            }
        }
        Map<String, Call> calls = new HashMap<>();
        firstUnit.forEach(
                (number, row) -> {
                    String type = row.get("Call Type");
                    boolean medical =
                            type.equals("Medical Incident") || type.equals("Traffic Collision");
                    String report = (medical ? "medical.calls" : "fire.alarms") + "/SFFD-" + number;
                    Map<String, Instant> phases = new HashMap<>();
                    COLUMN.forEach(
                            (phase, column) -> {
                                String text = row.get(column);
                                if (text != null && !text.isBlank()) {
                                    phases.put(
                                            phase,
                                            LocalDateTime.parse(text, format)
                                                    .atZone(sf)
                                                    .toInstant());
                                }
                            });
                    Instant received =
                            LocalDateTime.parse(row.get("Received DtTm"), format)
                                    .atZone(sf)
                                    .toInstant();
                    calls.put(
                            report,
                            new Call(report, medical ? "medical" : "fire", received, phases));
                });
        return calls;
    }

    private static int sequence(Map<String, String> row) {
        return Integer.parseInt(row.get("Unit sequence in call dispatch"));
    }

    /**
     * Per incident: its first report is the earliest Received time of its calls; a department
     * reached a phase at the earliest time any of its calls' first units did, the district at the
     * earliest time any unit did. Durations in whole seconds, percentiles by nearest rank.
     */
    static Expected expected(List<JsonObject> incidents, Map<String, Call> calls) {
        Map<String, Map<String, List<Long>>> byDepartment = new TreeMap<>();
        Map<String, Map<String, List<Long>>> byDistrict = new TreeMap<>();
        for (JsonObject incident : incidents) {
            List<Call> members = new ArrayList<>();
            for (Object r : incident.getJsonArray("reports")) {
                JsonObject report = (JsonObject) r;
                String id =
                        report.containsKey("callId")
                                ? report.getString("callId")
                                : report.getString("alarmId");
                Call call = calls.get(report.getString("feed") + "/" + id);
                if (call != null) {
                    members.add(call);
                }
            }
            if (members.isEmpty()) {
                continue;
            }
            Instant first = members.stream().map(Call::received).min(Instant::compareTo).get();
            String located = incident.getJsonObject("location").getString("district");
            String district = located == null ? "unknown" : located;
            for (String phase : COMPARED) {
                earliest(members, phase, null)
                        .ifPresent(t -> add(byDistrict, district, phase, seconds(first, t)));
                for (String department : List.of("fire", "medical")) {
                    earliest(members, phase, department)
                            .ifPresent(
                                    t -> add(byDepartment, department, phase, seconds(first, t)));
                }
            }
        }
        return new Expected(figures(byDepartment), figures(byDistrict));
    }

    private static java.util.Optional<Instant> earliest(
            List<Call> calls, String phase, String department) {
        return calls.stream()
                .filter(c -> department == null || c.department().equals(department))
                .map(c -> c.phases().get(phase))
                .filter(java.util.Objects::nonNull)
                .min(Instant::compareTo);
    }

    private static long seconds(Instant from, Instant to) {
        return Math.max(0, Duration.between(from, to).getSeconds());
    }

    private static void add(
            Map<String, Map<String, List<Long>>> groups, String group, String phase, long s) {
        groups.computeIfAbsent(group, g -> new TreeMap<>())
                .computeIfAbsent(phase, p -> new ArrayList<>())
                .add(s);
    }

    private static Map<String, Map<String, Figures>> figures(
            Map<String, Map<String, List<Long>>> groups) {
        Map<String, Map<String, Figures>> out = new TreeMap<>();
        groups.forEach(
                (group, phases) -> {
                    Map<String, Figures> row = new TreeMap<>();
                    for (String phase : COMPARED) {
                        List<Long> sorted = new ArrayList<>(phases.getOrDefault(phase, List.of()));
                        Collections.sort(sorted);
                        row.put(
                                phase,
                                new Figures(sorted.size(), rank(sorted, 0.5), rank(sorted, 0.9)));
                    }
                    out.put(group, row);
                });
        return out;
    }

    /** Nearest rank: the smallest value with at least p of the values at or below it. */
    private static long rank(List<Long> sorted, double p) {
        return sorted.isEmpty() ? 0 : sorted.get((int) Math.ceil(p * sorted.size()) - 1);
    }

    private static long reportCount(List<JsonObject> incidents) {
        return incidents.stream().mapToLong(i -> i.getJsonArray("reports").size()).sum();
    }

    // ---- what CityOps says, through its API ---------------------------------------------------

    record Api(WebClient http, LocalStack stack) {

        List<JsonObject> allIncidents() throws Exception {
            List<JsonObject> all = new ArrayList<>();
            long total;
            do {
                JsonObject page = get("/api/v1/incidents?limit=500&offset=" + all.size());
                page.getJsonArray("items").forEach(i -> all.add((JsonObject) i));
                total = page.getLong("total");
                if (page.getJsonArray("items").isEmpty()) {
                    break;
                }
            } while (all.size() < total);
            return all;
        }

        /** The week's rows (no from/to: the whole history), groups with a compared phase. */
        Map<String, Map<String, Figures>> kpis(String by) throws Exception {
            JsonArray rows = get("/api/v1/kpis?by=" + by).getJsonArray("items");
            Map<String, Map<String, Figures>> out = new TreeMap<>();
            for (Object r : rows) {
                JsonObject row = (JsonObject) r;
                Map<String, Figures> phases = new TreeMap<>();
                for (String phase : COMPARED) {
                    JsonObject p = row.getJsonObject(phase);
                    phases.put(
                            phase,
                            new Figures(p.getLong("count"), p.getLong("median"), p.getLong("p90")));
                }
                if (phases.values().stream().anyMatch(f -> f.count() > 0)) {
                    out.put(row.getString(by), phases);
                }
            }
            return out;
        }

        private JsonObject get(String path) throws Exception {
            var response =
                    http.getAbs(stack.apiUrl() + path)
                            .bearerTokenAuthentication(stack.tokens().get("operator"))
                            .send()
                            .toCompletionStage()
                            .toCompletableFuture()
                            .get(20, TimeUnit.SECONDS);
            assertThat(response.statusCode()).as(path).isEqualTo(200);
            return response.bodyAsJsonObject();
        }
    }

    private static void writeReport(
            ReplayReport replay, List<JsonObject> incidents, Expected expected) throws Exception {
        StringBuilder md =
                new StringBuilder(
                        "# SF fire/EMS week (2016-12-31 – 2017-01-07): response times\n\n"
                                + "Replayed through Kafka, the Flink job, Redis and dispatch-api; the"
                                + " first unit's real timestamps as department feedback. CityOps'"
                                + " figures equal the test's own calculation from the CSV.\n\n```\n");
        md.append(replay.table()).append("```\n\n");
        md.append("Incidents formed: ").append(incidents.size()).append("\n\n");
        md.append(
                "| group | acknowledge n / median / p90 (s) | en route | on scene |\n|---|---|---|---|\n");
        expected.byDepartment.forEach((g, row) -> md.append(line("department " + g, row)));
        expected.byDistrict.forEach((g, row) -> md.append(line(g, row)));
        Path out = Path.of("target/kpi-report/sf-fire-week.md");
        Files.createDirectories(out.getParent());
        Files.writeString(out, md.toString());
    }

    private static String line(String group, Map<String, Figures> row) {
        StringBuilder s = new StringBuilder("| ").append(group);
        for (String phase : COMPARED) {
            Figures f = row.get(phase);
            s.append(" | ")
                    .append(f.count())
                    .append(" / ")
                    .append(f.median())
                    .append(" / ")
                    .append(f.p90());
        }
        return s.append(" |\n").toString();
    }
}
