package org.cityops.local;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.vertx.core.Vertx;
import io.vertx.core.http.ClientWebSocket;
import io.vertx.core.http.WebSocketClient;
import io.vertx.core.http.WebSocketConnectOptions;
import io.vertx.core.json.JsonObject;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import org.cityops.livestate.IncidentQuery;
import org.cityops.livestate.LiveView;
import org.cityops.livestate.LiveViews;
import org.cityops.replay.Replayer;
import org.cityops.replay.Speed;
import org.cityops.schemas.city.Incident;
import org.cityops.schemas.serde.AvroSerde;
import org.cityops.schemas.topics.Topics;
import org.cityops.testing.KafkaTestClient;
import org.cityops.testing.TestInfra;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import redis.clients.jedis.RedisClient;
import redis.clients.jedis.params.ScanParams;

/**
 * Redis loses everything (this stack's keys deleted, as FLUSHALL would) in the middle of a replay:
 * the live view is rebuilt from Kafka within seconds, the job keeps writing, and at the end the
 * live view and a connected screen hold exactly the latest version of every incident {@code
 * city.incidents} holds — none missing, none stale.
 */
@Timeout(value = 4, unit = TimeUnit.MINUTES)
class LiveViewLossITCase {

    private static final Path ROOT = Path.of(System.getProperty("cityops.root", ".."));
    private static LocalStack stack;
    private static Vertx vertx;
    private static WebSocketClient sockets;
    private static String prefix;
    @TempDir static Path dir;

    @BeforeAll
    static void start() throws Exception {
        prefix = TestInfra.uniquePrefix("loss");
        stack =
                new LocalStack(
                                DemoDay.stack(
                                        dir,
                                        prefix,
                                        "a-loss-test-secret-of-at-least-32-bytes-long"))
                        .start();
        vertx = Vertx.vertx();
        sockets = vertx.createWebSocketClient();
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
    void aFlushedLiveViewIsRebuiltFromKafkaUnderLoadAndScreensResync() throws Exception {
        Map<String, Long> onScreen = new ConcurrentHashMap<>();
        URI screen = URI.create(stack.screenUrl());
        ClientWebSocket socket = sockets.webSocket();
        socket.textMessageHandler(
                text -> {
                    JsonObject message = new JsonObject(text);
                    if ("snapshot".equals(message.getString("type"))) {
                        message.getJsonArray("incidents")
                                .forEach(i -> seen(onScreen, (JsonObject) i));
                    } else if ("delta".equals(message.getString("type"))) {
                        seen(onScreen, message.getJsonObject("incident"));
                    }
                });
        socket.connect(
                        new WebSocketConnectOptions()
                                .setHost(screen.getHost())
                                .setPort(screen.getPort())
                                .setURI("/ws/screen?token=" + stack.tokens().get("leader")))
                .toCompletionStage()
                .toCompletableFuture()
                .get(10, TimeUnit.SECONDS);

        // a day of police and EMS calls at 4,000x: about 20 s of load
        Path batch = Files.createTempDirectory(dir, "day");
        Files.write(batch.resolve("police.calls.jsonl"), lines("police.calls"));
        Files.write(batch.resolve("medical.calls.jsonl"), lines("medical.calls"));
        Replayer replayer = new Replayer(stack.kafka(), Topics.withPrefix(prefix));
        Thread load =
                new Thread(
                        () ->
                                replayer.replay(
                                        List.of(
                                                batch.resolve("police.calls.jsonl"),
                                                batch.resolve("medical.calls.jsonl")),
                                        null,
                                        Speed.parse("4000"),
                                        null),
                        "replay-under-flush");
        load.start();

        LiveView live = LiveViews.open(LiveViews.redisTarget(TestInfra.redisUri(), prefix));
        try {
            await().atMost(Duration.ofSeconds(60)).until(() -> count(live) >= 40);
            long before = count(live);
            int deleted = flush();
            long flushedAt = System.nanoTime();
            assertThat(deleted).isPositive();
            assertThat(count(live)).as("the store really is empty").isLessThan(before);
            await().atMost(Duration.ofSeconds(15))
                    .pollInterval(Duration.ofMillis(100))
                    .until(() -> count(live) >= before);
            long rebuiltMillis = (System.nanoTime() - flushedAt) / 1_000_000;
            System.out.printf(
                    "live view: %d incidents before the flush, back in %d ms%n",
                    before, rebuiltMillis);

            load.join(60_000);
            replayer.close();
            assertThat(load.isAlive()).isFalse();

            // Kafka is the truth: the latest version of every incident
            await().atMost(Duration.ofSeconds(60))
                    .pollInterval(Duration.ofSeconds(1))
                    .untilAsserted(
                            () -> {
                                Map<String, Long> truth = new HashMap<>();
                                for (Incident i :
                                        KafkaTestClient.readAll(
                                                stack.kafka(),
                                                Topics.withPrefix(prefix).incidents().name(),
                                                new AvroSerde<>(Incident.class).deserializer())) {
                                    truth.merge(i.getIncidentId(), i.getVersion(), Math::max);
                                }
                                Map<String, Long> held = new HashMap<>();
                                for (String doc :
                                        live.incidents(
                                                        new IncidentQuery(
                                                                null, null, null, null, 0, 10_000))
                                                .documents()) {
                                    JsonObject incident = new JsonObject(doc);
                                    held.put(
                                            incident.getString("incidentId"),
                                            incident.getLong("version"));
                                }
                                assertThat(held)
                                        .as("the live view: nothing lost, nothing stale")
                                        .isEqualTo(truth);
                                assertThat(onScreen)
                                        .as("the screen resynced to the same")
                                        .isEqualTo(truth);
                            });
        } finally {
            live.close();
            socket.close();
        }
        assertThat(stack.jobRunning()).isTrue();
    }

    private static void seen(Map<String, Long> onScreen, JsonObject incident) {
        onScreen.merge(incident.getString("incidentId"), incident.getLong("version"), Math::max);
    }

    private static long count(LiveView live) {
        return live.incidents(new IncidentQuery(null, null, null, null, 0, 1)).total();
    }

    /** Deletes every key of this stack's live view, as losing Redis would. */
    private static int flush() {
        int deleted = 0;
        try (RedisClient redis = RedisClient.create(URI.create(TestInfra.redisUri()))) {
            String cursor = ScanParams.SCAN_POINTER_START;
            do {
                var page = redis.scan(cursor, new ScanParams().match(prefix + "*").count(1000));
                cursor = page.getCursor();
                if (!page.getResult().isEmpty()) {
                    deleted += (int) redis.del(page.getResult().toArray(String[]::new));
                }
            } while (!cursor.equals(ScanParams.SCAN_POINTER_START));
        }
        return deleted;
    }

    private static List<String> lines(String feed) throws Exception {
        return DemoDay.lines(feed, 0, Integer.MAX_VALUE);
    }
}
