package org.cityops.local;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.vertx.core.Vertx;
import io.vertx.core.http.ClientWebSocket;
import io.vertx.core.http.WebSocketConnectOptions;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.WebClient;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.cityops.livestate.LiveView;
import org.cityops.livestate.LiveViews;
import org.cityops.replay.ReplayReport;
import org.cityops.replay.Replayer;
import org.cityops.replay.Speed;
import org.cityops.schemas.cap.CapAlert;
import org.cityops.schemas.cap.CapMessages;
import org.cityops.schemas.city.PublicWarning;
import org.cityops.schemas.city.WarningState;
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
 * CAP 1.2 messages through the real path: {@code ./cityops replay}'s replayer publishes every CAP
 * example (NWS, IPAWS, the standard's appendix), the demo day's wind advisory with its Update and
 * Cancel, an Exercise and a broken message to {@code cap.alerts}; the job (MiniCluster) reads them,
 * Redis holds the warnings, {@code city.warnings} carries them, and a screen sees the real ones act
 * — and never the exercise.
 */
@Timeout(value = 4, unit = TimeUnit.MINUTES)
class PublicWarningsITCase {

    private static final Path ROOT = Path.of(System.getProperty("cityops.root", ".."));
    private static final String ADVISORY = "demo@cityops.example/CITYOPS-DEMO-WIND-20181208-1";
    private static final String EXERCISE = "demo@cityops.example/CITYOPS-DEMO-EXERCISE-20181208";

    private static LocalStack stack;
    private static Vertx vertx;
    private static io.vertx.core.http.WebSocketClient sockets;
    private static String prefix;
    @TempDir static Path dir;

    @BeforeAll
    static void start() throws Exception {
        prefix = TestInfra.uniquePrefix("cap");
        stack =
                new LocalStack(
                                DemoDay.stack(
                                        dir, prefix, "a-cap-test-secret-of-at-least-32-bytes-long"))
                        .start();
        vertx = Vertx.vertx();
    }

    @AfterAll
    static void stop() {
        if (vertx != null) {
            vertx.close();
        }
        if (stack != null) {
            stack.close();
        }
    }

    @Test
    void everyCapExampleImportsAndTheCitysWarningIsUpdatedThenCancelledOnTheScreen()
            throws Exception {
        List<JsonObject> seen = new CopyOnWriteArrayList<>();
        URI screen = URI.create(stack.screenUrl());
        sockets = vertx.createWebSocketClient(); // held: an unreferenced client is closed by GC
        ClientWebSocket socket = sockets.webSocket();
        socket.textMessageHandler(text -> seen.add(new JsonObject(text)));
        socket.connect(
                        new WebSocketConnectOptions()
                                .setHost(screen.getHost())
                                .setPort(screen.getPort())
                                .setURI("/ws/screen?token=" + stack.tokens().get("leader")))
                .toCompletionStage()
                .toCompletableFuture()
                .get(10, TimeUnit.SECONDS);

        List<Path> files = new ArrayList<>();
        try (Stream<Path> examples = Files.list(ROOT.resolve("data/cap-examples"))) {
            examples.filter(f -> f.toString().endsWith(".xml")).forEach(files::add);
        }
        try (Stream<Path> demo = Files.list(ROOT.resolve("data/demo"))) {
            demo.filter(f -> f.toString().endsWith(".xml")).forEach(files::add);
        }
        Path broken = dir.resolve("broken.xml");
        String advisory = Files.readString(ROOT.resolve("data/demo/cap-sf-wind-advisory-1.xml"));
        Files.writeString(
                broken, advisory.replace("<status>Actual</status>", "<status>Real</status>"));
        files.add(broken);

        // the warning each valid file acts on, from the files themselves
        Set<String> expected = new HashSet<>();
        for (Path file : files) {
            try {
                CapAlert alert = CapMessages.parse(Files.readAllBytes(file));
                expected.add(alert.rootKey());
            } catch (CapMessages.CapInvalid e) {
                assertThat(file).isEqualTo(broken);
            }
        }
        // the advisory's Update and Cancel come later, each once the screen shows what came before
        Path update = ROOT.resolve("data/demo/cap-sf-wind-advisory-2-update.xml");
        Path cancel = ROOT.resolve("data/demo/cap-sf-wind-advisory-3-cancel.xml");
        List<Path> first =
                files.stream().filter(f -> !f.equals(update) && !f.equals(cancel)).toList();
        ReplayReport report = replay(first);
        awaitOnScreen(seen, "ACTIVE Moderate");
        replay(List.of(update));
        awaitOnScreen(seen, "ACTIVE Moderate", "ACTIVE Severe");
        replay(List.of(cancel));
        assertThat(report.feeds())
                .filteredOn(f -> f.feed().equals("cap.alerts"))
                .singleElement()
                .satisfies(
                        cap -> {
                            assertThat(cap.accepted()).isEqualTo(first.size() - 1L);
                            assertThat(cap.rejected())
                                    .as("the broken one, still sent")
                                    .isEqualTo(1);
                        });

        LiveView live = LiveViews.open(LiveViews.redisTarget(TestInfra.redisUri(), prefix));
        try {
            await().atMost(Duration.ofSeconds(60))
                    .untilAsserted(
                            () -> {
                                Set<String> ids = new HashSet<>();
                                live.warnings()
                                        .forEach(
                                                w ->
                                                        ids.add(
                                                                new JsonObject(w)
                                                                        .getString("warningId")));
                                assertThat(ids)
                                        .as(
                                                "every CAP example became a warning, in its latest state")
                                        .containsExactlyInAnyOrderElementsOf(expected);
                                JsonObject wind = warning(live, ADVISORY);
                                assertThat(wind.getString("state")).isEqualTo("CANCELLED");
                                assertThat(wind.getString("msgType")).isEqualTo("Cancel");
                            });
        } finally {
            live.close();
        }

        // the screen saw the advisory, its upgrade and its end, in order; never the exercise
        awaitOnScreen(seen, "ACTIVE Moderate", "ACTIVE Severe", "CANCELLED Unknown");
        assertThat(seen)
                .as("a test or exercise never alarms anyone")
                .noneMatch(m -> m.encode().contains(EXERCISE));
        JsonObject advisoryOnScreen =
                seen.stream()
                        .filter(m -> "warning".equals(m.getString("type")))
                        .map(m -> m.getJsonObject("warning"))
                        .filter(w -> ADVISORY.equals(w.getString("warningId")))
                        .findFirst()
                        .orElseThrow();
        assertThat(advisoryOnScreen.getJsonArray("affectedDistricts").getList())
                .contains("Mission", "South of Market");

        // city.warnings carries every change (read_committed: once the job's checkpoint commits)
        await().atMost(Duration.ofSeconds(30))
                .untilAsserted(
                        () ->
                                assertThat(
                                                KafkaTestClient.readAll(
                                                        stack.kafka(),
                                                        Topics.withPrefix(prefix).warnings().name(),
                                                        new AvroSerde<>(PublicWarning.class)
                                                                .deserializer()))
                                        .filteredOn(w -> ADVISORY.equals(w.getWarningId()))
                                        .extracting(PublicWarning::getState)
                                        .containsExactly(
                                                WarningState.ACTIVE,
                                                WarningState.ACTIVE,
                                                WarningState.CANCELLED));

        // the broken message is a dead letter with its reason, and the feed shows it
        WebClient http = WebClient.create(vertx);
        await().atMost(Duration.ofSeconds(30))
                .ignoreExceptions()
                .untilAsserted(
                        () -> {
                            JsonArray items =
                                    http.getAbs(
                                                    stack.apiUrl()
                                                            + "/api/v1/deadletters?feed=cap.alerts")
                                            .bearerTokenAuthentication(
                                                    stack.tokens().get("operator"))
                                            .send()
                                            .toCompletionStage()
                                            .toCompletableFuture()
                                            .get(5, TimeUnit.SECONDS)
                                            .bodyAsJsonObject()
                                            .getJsonArray("items");
                            assertThat(items.encode()).contains("Real", "status");
                            JsonArray feeds =
                                    http.getAbs(stack.apiUrl() + "/api/v1/feeds")
                                            .bearerTokenAuthentication(
                                                    stack.tokens().get("operator"))
                                            .send()
                                            .toCompletionStage()
                                            .toCompletableFuture()
                                            .get(5, TimeUnit.SECONDS)
                                            .bodyAsJsonArray();
                            JsonObject cap =
                                    feeds.stream()
                                            .map(JsonObject.class::cast)
                                            .filter(f -> "cap.alerts".equals(f.getString("feed")))
                                            .findFirst()
                                            .orElseThrow();
                            assertThat(cap.getLong("rejected")).isEqualTo(1);
                            assertThat(cap.getLong("accepted")).isEqualTo(files.size() - 1L);
                        });
        socket.close();
    }

    private static ReplayReport replay(List<Path> files) {
        try (Replayer replayer = new Replayer(stack.kafka(), Topics.withPrefix(prefix))) {
            return replayer.replay(files, null, Speed.MAX, null);
        }
    }

    /** The advisory's states the screen was sent, in order. */
    private static void awaitOnScreen(List<JsonObject> seen, String... states) {
        await().atMost(Duration.ofSeconds(60))
                .untilAsserted(
                        () ->
                                assertThat(
                                                seen.stream()
                                                        .filter(
                                                                m ->
                                                                        "warning"
                                                                                .equals(
                                                                                        m.getString(
                                                                                                "type")))
                                                        .map(m -> m.getJsonObject("warning"))
                                                        .filter(
                                                                w ->
                                                                        ADVISORY.equals(
                                                                                w.getString(
                                                                                        "warningId")))
                                                        .map(
                                                                w ->
                                                                        w.getString("state")
                                                                                + " "
                                                                                + w.getString(
                                                                                        "capSeverity")))
                                        .containsExactly(states));
    }

    private static JsonObject warning(LiveView live, String id) {
        return live.warnings().stream()
                .map(JsonObject::new)
                .filter(w -> id.equals(w.getString("warningId")))
                .findFirst()
                .orElseThrow();
    }
}
