package org.cityops.local;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.ClientWebSocket;
import io.vertx.core.http.WebSocket;
import io.vertx.core.http.WebSocketClient;
import io.vertx.core.http.WebSocketConnectOptions;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.ext.web.client.WebClient;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.cityops.livestate.LiveViews;
import org.cityops.replay.ReplayReport;
import org.cityops.replay.Replayer;
import org.cityops.replay.Speed;
import org.cityops.schemas.Department;
import org.cityops.schemas.city.AuditOutcome;
import org.cityops.schemas.city.AuditRecord;
import org.cityops.schemas.city.DeadLetter;
import org.cityops.schemas.city.DispatchOrder;
import org.cityops.schemas.serde.AvroSerde;
import org.cityops.schemas.topics.Topics;
import org.cityops.testing.KafkaTestClient;
import org.cityops.testing.TestInfra;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The whole path through real components: contract JSON lines replayed into Kafka, the Flink job on
 * a MiniCluster, Redis, dispatch-api and dashboard-feed — an incident visible through the API and
 * received by a WebSocket client; bad lines counted and dead-lettered.
 */
@Timeout(value = 4, unit = TimeUnit.MINUTES)
class EndToEndITCase {

    private static LocalStack stack;
    private static Vertx vertx;
    private static WebClient http;
    private static WebSocketClient sockets;
    private static String prefix;
    @TempDir static Path dir;

    @BeforeAll
    static void startStack() throws Exception {
        prefix = TestInfra.uniquePrefix("e2e");
        stack =
                new LocalStack(
                                LocalStackOptions.withoutReplay(
                                        dir.resolve("data"),
                                        dir.resolve("state.json"),
                                        TestInfra.kafkaBootstrapServers(),
                                        LiveViews.redisTarget(TestInfra.redisUri(), prefix),
                                        prefix,
                                        "an-end-to-end-test-secret-of-at-least-32-bytes",
                                        List.of(Path.of("../rules/starter-rules.json"))))
                        .start();
        vertx = Vertx.vertx();
        http = WebClient.create(vertx);
        sockets = vertx.createWebSocketClient();
    }

    @AfterAll
    static void stopStack() {
        if (vertx != null) {
            vertx.close();
        }
        if (stack != null) {
            stack.close();
        }
    }

    @Test
    void reportsReplayedFromJsonLinesReachTheApiAndTheScreenAndBadLinesAreDeadLettered()
            throws Exception {
        List<JsonObject> screen = new CopyOnWriteArrayList<>();
        URI screenUri = URI.create(stack.screenUrl());
        ClientWebSocket client = sockets.webSocket();
        client.textMessageHandler(text -> screen.add(new JsonObject(text)));
        WebSocket socket =
                client.connect(
                                new WebSocketConnectOptions()
                                        .setHost(screenUri.getHost())
                                        .setPort(screenUri.getPort())
                                        .setURI("/ws/screen?token=" + stack.tokens().get("leader")))
                        .toCompletionStage()
                        .toCompletableFuture()
                        .get(10, TimeUnit.SECONDS);
        await().atMost(Duration.ofSeconds(10)).until(() -> !screen.isEmpty());
        assertThat(screen.get(0).getString("type")).isEqualTo("snapshot");

        Path police = dir.resolve("police.calls.jsonl");
        String robbery =
                "{\"callId\":\"E2E-1\",\"receivedAt\":\"2018-12-08T10:00:00-08:00\",\"category\":\"ROBBERY\",\"priority\":1,"
                        + "\"location\":{\"lat\":37.78398,\"lon\":-122.41176,\"address\":\"200 Block of EDDY ST\"},\"callerPhone\":\"415-555-0142\"}";
        Files.write(
                police,
                List.of(
                        robbery,
                        robbery,
                        "{\"callId\":\"E2E-2\",\"receivedAt\":\"2018-12-08T10:01:00-08:00\",\"category\":\"THEFT\",\"priority\":3}",
                        "not json at all"));
        Path medical = dir.resolve("medical.calls.jsonl");
        Files.write(
                medical,
                List.of(
                        "{\"callId\":\"E2E-M\",\"receivedAt\":\"2018-12-08T10:00:30-08:00\",\"complaint\":\"CARDIAC_ARREST\",\"acuity\":1,"
                                + "\"location\":{\"lat\":37.7599,\"lon\":-122.4148}}"));
        ReplayReport report;
        try (Replayer replayer = new Replayer(stack.kafka(), Topics.withPrefix(prefix))) {
            report = replayer.replay(List.of(police, medical), null, Speed.MAX, null);
        }
        assertThat(report.table()).contains("police.calls", "medical.calls");

        String operator = stack.tokens().get("operator");
        await().atMost(Duration.ofSeconds(60))
                .untilAsserted(
                        () -> {
                            JsonObject list = get("/api/v1/incidents", operator).bodyAsJsonObject();
                            assertThat(list.getLong("total")).isEqualTo(2);
                        });
        JsonObject incident = get("/api/v1/incidents/INC-POL-E2E-1", operator).bodyAsJsonObject();
        JsonObject reportOf = incident.getJsonArray("reports").getJsonObject(0);
        assertThat(reportOf.getString("feed")).isEqualTo("police.calls");
        assertThat(reportOf.getString("callId")).isEqualTo("E2E-1");
        assertThat(incident.getJsonObject("location").getString("district"))
                .isEqualTo("Tenderloin");
        assertThat(
                        get(
                                        "/api/v1/incidents?department=medical",
                                        stack.tokens().get("dispatcher:medical"))
                                .bodyAsJsonObject()
                                .getJsonArray("items")
                                .stream()
                                .map(i -> ((JsonObject) i).getString("incidentId")))
                .as("EMS's own call, and the robbery that tasks EMS in support (severity 5)")
                .containsExactlyInAnyOrder("INC-MED-E2E-M", "INC-POL-E2E-1");

        await().atMost(Duration.ofSeconds(20))
                .untilAsserted(
                        () ->
                                assertThat(
                                                screen.stream()
                                                        .filter(
                                                                m ->
                                                                        "delta"
                                                                                .equals(
                                                                                        m.getString(
                                                                                                "type")))
                                                        .map(
                                                                m ->
                                                                        m.getJsonObject("incident")
                                                                                .getString(
                                                                                        "incidentId")))
                                        .contains("INC-POL-E2E-1", "INC-MED-E2E-M"));
        assertThat(screen.toString())
                .as("the leader's screen shows no personal data")
                .doesNotContain("415-555-0142");

        await().atMost(Duration.ofSeconds(20))
                .untilAsserted(
                        () -> {
                            Map<String, String> feeds =
                                    get("/api/v1/feeds", operator).bodyAsJsonArray().stream()
                                            .map(o -> (JsonObject) o)
                                            .collect(
                                                    Collectors.toMap(
                                                            f -> f.getString("feed"),
                                                            f ->
                                                                    f.getLong("accepted")
                                                                            + "/"
                                                                            + f.getLong("rejected")
                                                                            + "/"
                                                                            + f.getLong(
                                                                                    "duplicates")));
                            assertThat(feeds)
                                    .containsEntry("police.calls", "1/2/1")
                                    .containsEntry("medical.calls", "1/0/0");
                        });
        // The loop: the robbery was dispatched; the police acknowledge through the API.
        await().atMost(Duration.ofSeconds(30))
                .untilAsserted(
                        () ->
                                assertThat(
                                                KafkaTestClient.readAll(
                                                        stack.kafka(),
                                                        Topics.withPrefix(prefix).orders().name(),
                                                        new AvroSerde<>(DispatchOrder.class)))
                                        .anySatisfy(
                                                o -> {
                                                    assertThat(o.getIncidentId())
                                                            .isEqualTo("INC-POL-E2E-1");
                                                    assertThat(o.getDepartment())
                                                            .isEqualTo(Department.police);
                                                    assertThat(o.getLead()).isTrue();
                                                }));
        // sent twice with one Idempotency-Key (a dispatcher's retry after a timeout): done once
        HttpResponse<Buffer> ack = acknowledge("e2e-ack-" + prefix);
        HttpResponse<Buffer> retried = acknowledge("e2e-ack-" + prefix);
        assertThat(ack.statusCode()).as(ack.bodyAsString()).isEqualTo(202);
        assertThat(retried.bodyAsJsonObject()).isEqualTo(ack.bodyAsJsonObject());
        long minVersion = ack.bodyAsJsonObject().getLong("minVersion");
        HttpResponse<Buffer> reflected =
                get(
                        "/api/v1/incidents/INC-POL-E2E-1?minVersion=" + minVersion,
                        stack.tokens().get("dispatcher:police"));
        assertThat(reflected.getHeader("CityOps-Version-Reached"))
                .as("the job applied it within the wait")
                .isEqualTo("true");
        assertThat(reflected.bodyAsJsonObject().getString("status")).isEqualTo("IN_PROGRESS");
        await().atMost(Duration.ofSeconds(30))
                .untilAsserted(
                        () ->
                                assertThat(
                                                KafkaTestClient.readAll(
                                                        stack.kafka(),
                                                        Topics.withPrefix(prefix).audit().name(),
                                                        new AvroSerde<>(AuditRecord.class)))
                                        .filteredOn(
                                                a ->
                                                        a.getIncidentId().equals("INC-POL-E2E-1")
                                                                && a.getAction()
                                                                        .startsWith("ACKNOWLEDGE"))
                                        .as("one acknowledgement applied, no refused repeat")
                                        .singleElement()
                                        .satisfies(
                                                a ->
                                                        assertThat(a.getOutcome())
                                                                .isEqualTo(AuditOutcome.APPLIED)));
        await().atMost(Duration.ofSeconds(30))
                .untilAsserted(
                        () ->
                                assertThat(
                                                get("/api/v1/incidents/INC-POL-E2E-1", operator)
                                                        .bodyAsJsonObject()
                                                        .getJsonArray("actions")
                                                        .stream()
                                                        .map(
                                                                a ->
                                                                        ((JsonObject) a)
                                                                                .getString(
                                                                                        "action")))
                                        .as("the incident's timeline, from the job's audit")
                                        .contains("ACKNOWLEDGE police"));
        // after-action review: the whole story in order, who did what, no personal data
        HttpResponse<Buffer> timeline =
                get("/api/v1/incidents/INC-POL-E2E-1/timeline", stack.tokens().get("leader"));
        assertThat(timeline.statusCode()).as(timeline.bodyAsString()).isEqualTo(200);
        List<String> story =
                timeline.bodyAsJsonObject().getJsonArray("entries").stream()
                        .map(JsonObject.class::cast)
                        .map(e -> e.getString("kind") + " " + e.getString("text"))
                        .toList();
        assertThat(story)
                .as("oldest first: the report, the order, the acknowledgement by the dispatcher")
                .containsSubsequence(
                        story.stream()
                                .filter(e -> e.startsWith("report "))
                                .findFirst()
                                .orElseThrow(),
                        "phase police ordered",
                        "phase police acknowledged");
        assertThat(story).anyMatch(e -> e.startsWith("action ACKNOWLEDGE police"));
        List<String> times =
                timeline.bodyAsJsonObject().getJsonArray("entries").stream()
                        .map(e -> ((JsonObject) e).getString("at"))
                        .toList();
        assertThat(times.stream().map(java.time.Instant::parse).toList()).isSorted();
        assertThat(timeline.bodyAsString()).doesNotContain("415-555");
        // ... and the police's KPIs count that acknowledgement, timed from the first report.
        JsonObject acknowledged =
                get("/api/v1/incidents/INC-POL-E2E-1", operator).bodyAsJsonObject();
        JsonObject policeTask =
                acknowledged.getJsonArray("tasks").stream()
                        .map(JsonObject.class::cast)
                        .filter(t -> t.getString("department").equals("police"))
                        .findFirst()
                        .orElseThrow();
        long expectedSeconds =
                Duration.between(
                                instant(acknowledged.getValue("firstReportAt")),
                                instant(policeTask.getValue("acknowledgedAt")))
                        .toSeconds();
        await().atMost(Duration.ofSeconds(30))
                .ignoreExceptions()
                .untilAsserted(
                        () -> {
                            JsonObject policeKpis =
                                    get(
                                                    "/api/v1/kpis?by=department",
                                                    stack.tokens().get("dispatcher:police"))
                                            .bodyAsJsonObject()
                                            .getJsonArray("items")
                                            .getJsonObject(0);
                            assertThat(policeKpis.getString("department")).isEqualTo("police");
                            assertThat(policeKpis.getLong("opened")).isEqualTo(1);
                            JsonObject acknowledge = policeKpis.getJsonObject("acknowledge");
                            assertThat(acknowledge.getInteger("count")).isEqualTo(1);
                            assertThat(acknowledge.getLong("median")).isEqualTo(expectedSeconds);
                        });
        await().atMost(Duration.ofSeconds(30))
                .ignoreExceptions()
                .untilAsserted(
                        () ->
                                assertThat(
                                                get(
                                                                "/api/v1/kpis?by=department&window=live",
                                                                stack.tokens()
                                                                        .get("dispatcher:police"))
                                                        .bodyAsJsonObject()
                                                        .getJsonArray("items")
                                                        .getJsonObject(0)
                                                        .getJsonObject("acknowledge")
                                                        .getInteger("count"))
                                        .as("the last hour's row counts it too")
                                        .isEqualTo(1));

        // An operator merges the EMS call's incident into the robbery: API -> dispatch.feedback ->
        // job -> screen.
        HttpResponse<Buffer> merge =
                http.postAbs(stack.apiUrl() + "/api/v1/incidents/INC-MED-E2E-M/merge")
                        .bearerTokenAuthentication(operator)
                        .sendJsonObject(new JsonObject().put("into", "INC-POL-E2E-1"))
                        .toCompletionStage()
                        .toCompletableFuture()
                        .get(10, TimeUnit.SECONDS);
        assertThat(merge.statusCode()).as(merge.bodyAsString()).isEqualTo(202);
        await().atMost(Duration.ofSeconds(30))
                .untilAsserted(
                        () -> {
                            assertThat(
                                            get("/api/v1/incidents/INC-MED-E2E-M", operator)
                                                    .bodyAsJsonObject()
                                                    .getString("status"))
                                    .isEqualTo("MERGED");
                            assertThat(
                                            get("/api/v1/incidents/INC-POL-E2E-1", operator)
                                                    .bodyAsJsonObject()
                                                    .getJsonArray("reports"))
                                    .hasSize(2);
                            assertThat(
                                            screen.stream()
                                                    .filter(
                                                            m ->
                                                                    "delta"
                                                                            .equals(
                                                                                    m.getString(
                                                                                            "type")))
                                                    .map(m -> m.getJsonObject("incident"))
                                                    .filter(
                                                            i ->
                                                                    i.getString("incidentId")
                                                                            .equals(
                                                                                    "INC-MED-E2E-M"))
                                                    .map(i -> i.getString("status")))
                                    .contains("MERGED");
                        });

        JsonArray deadLetters =
                get("/api/v1/deadletters?feed=police.calls", operator)
                        .bodyAsJsonObject()
                        .getJsonArray("items");
        assertThat(deadLetters.stream().map(o -> ((JsonObject) o).getString("reason")))
                .containsExactlyInAnyOrder(
                        "location: required field is missing",
                        "not valid JSON: Unrecognized token 'not': was expecting (JSON String, Number, Array, Object or token 'null', 'true' or 'false')");
        // Kafka outputs are committed on checkpoints: wait for the one that holds them.
        await().atMost(Duration.ofSeconds(30))
                .untilAsserted(
                        () ->
                                assertThat(
                                                KafkaTestClient.readAll(
                                                        stack.kafka(),
                                                        Topics.withPrefix(prefix)
                                                                .deadLetters()
                                                                .name(),
                                                        new AvroSerde<>(DeadLetter.class)))
                                        .hasSize(2));
        socket.close();
    }

    @Test
    void theStarterRulesArePublishedAndActiveInTheRunningJob() {
        await().atMost(Duration.ofSeconds(30))
                .untilAsserted(
                        () -> {
                            JsonArray rules =
                                    get("/api/v1/rules", stack.tokens().get("operator"))
                                            .bodyAsJsonObject()
                                            .getJsonArray("items");
                            assertThat(rules).hasSize(7);
                            assertThat(
                                            rules.stream()
                                                    .map(r -> ((JsonObject) r).getString("status")))
                                    .containsOnly("active");
                        });
    }

    @Test
    void writesTheStateFileScriptsNeed() throws Exception {
        JsonNode state = new ObjectMapper().readTree(dir.resolve("state.json").toFile());
        assertThat(state.get("kafka").asText()).isEqualTo(stack.kafka());
        assertThat(state.get("api").asText()).startsWith("http://127.0.0.1:");
        assertThat(state.get("screen").asText()).startsWith("http://127.0.0.1:");
        assertThat(state.get("tokens").fieldNames())
                .toIterable()
                .containsExactlyInAnyOrder(
                        "operator",
                        "leader",
                        "admin",
                        "dispatcher:police",
                        "dispatcher:fire",
                        "dispatcher:medical",
                        "dispatcher:traffic");
        assertThat(get("/api/v1/feeds", state.get("tokens").get("leader").asText()).statusCode())
                .isEqualTo(200);
    }

    private static HttpResponse<Buffer> acknowledge(String idempotencyKey) throws Exception {
        return http.postAbs(
                        stack.apiUrl() + "/api/v1/incidents/INC-POL-E2E-1/tasks/police/acknowledge")
                .bearerTokenAuthentication(stack.tokens().get("dispatcher:police"))
                .putHeader("Idempotency-Key", idempotencyKey)
                .sendJsonObject(new JsonObject())
                .toCompletionStage()
                .toCompletableFuture()
                .get(10, TimeUnit.SECONDS);
    }

    private static HttpResponse<Buffer> get(String path, String token) throws Exception {
        return http.getAbs(stack.apiUrl() + path)
                .bearerTokenAuthentication(token)
                .send()
                .toCompletionStage()
                .toCompletableFuture()
                .get(10, TimeUnit.SECONDS);
    }

    private static java.time.Instant instant(Object value) {
        return value instanceof Number millis
                ? java.time.Instant.ofEpochMilli(millis.longValue())
                : java.time.Instant.parse(value.toString());
    }
}
