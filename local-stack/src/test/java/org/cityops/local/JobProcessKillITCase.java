package org.cityops.local;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.vertx.core.DeploymentOptions;
import io.vertx.core.Vertx;
import io.vertx.core.http.ClientWebSocket;
import io.vertx.core.http.WebSocketClient;
import io.vertx.core.http.WebSocketConnectOptions;
import io.vertx.core.json.JsonObject;
import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import org.cityops.access.AccessConfig;
import org.cityops.access.Reader;
import org.cityops.access.Role;
import org.cityops.access.Tokens;
import org.cityops.api.DispatchApiVerticle;
import org.cityops.jobs.Checkpoints;
import org.cityops.jobs.CityOpsJobMain;
import org.cityops.livestate.ChangelogAudit;
import org.cityops.livestate.CommittedLog;
import org.cityops.livestate.IncidentQuery;
import org.cityops.livestate.LiveView;
import org.cityops.livestate.LiveViews;
import org.cityops.replay.Replayer;
import org.cityops.replay.Speed;
import org.cityops.schemas.city.CityEvent;
import org.cityops.schemas.city.Incident;
import org.cityops.schemas.topics.TopicSetup;
import org.cityops.schemas.topics.Topics;
import org.cityops.screen.DashboardFeedVerticle;
import org.cityops.testing.TestInfra;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The job runs as its own process (the job jar's main on a local cluster, as {@code flink run}
 * would start it) while dispatch-api and dashboard-feed serve; it is killed with SIGKILL in the
 * middle of a backlog — no savepoint, no clean shutdown — and started again with {@code --resume
 * latest}. It goes on from its last retained checkpoint; then every report is one event, every
 * event in exactly one incident, no version twice or missing ({@link ChangelogAudit}), and a screen
 * that stayed connected throughout holds exactly the latest committed version of every incident.
 */
@Timeout(value = 15, unit = TimeUnit.MINUTES)
class JobProcessKillITCase {

    private static final String SECRET = "a-process-kill-secret-of-at-least-32-bytes";
    private static final int REPORTS = Integer.getInteger("cityops.drill.reports", 10_000);

    @TempDir Path dir;

    @Test
    void aHardKilledJobProcessResumesFromItsCheckpointWithNothingLostOrDoubled() throws Exception {
        String prefix = TestInfra.uniquePrefix("kill9");
        Topics topics = Topics.withPrefix(prefix);
        String kafka = TestInfra.kafkaBootstrapServers();
        String target = LiveViews.redisTarget(TestInfra.redisUri(), prefix);
        TopicSetup.ensure(kafka, topics, 2, (short) 1);
        Path checkpoints = dir.resolve("checkpoints");
        Path reports = writeReports(dir.resolve("police.calls.jsonl"));

        Vertx vertx = Vertx.vertx();
        WebSocketClient sockets = vertx.createWebSocketClient();
        Process job = null;
        try (LiveView live = LiveViews.open(target)) {
            DashboardFeedVerticle screen = new DashboardFeedVerticle();
            JsonObject common = new JsonObject().put("liveView", target).put("jwtSecret", SECRET);
            deploy(
                    vertx,
                    new DispatchApiVerticle(),
                    common.copy().put("kafka", kafka).put("topicPrefix", prefix));
            deploy(vertx, screen, common.copy());
            Map<String, JsonObject> onScreen = new ConcurrentHashMap<>();
            ClientWebSocket socket = connectScreen(vertx, sockets, screen.actualPort(), onScreen);

            job = startJob(kafka, target, prefix, checkpoints, "first");
            try (Replayer replayer = new Replayer(kafka, topics)) {
                replayer.replay(List.of(reports), null, Speed.parse("max"), null);
            }
            await().atMost(Duration.ofMinutes(5))
                    .pollInterval(Duration.ofMillis(200))
                    .until(
                            () ->
                                    Checkpoints.latest(checkpoints).isPresent()
                                            && count(live) >= REPORTS / 10);
            long before = count(live);
            job.destroyForcibly(); // SIGKILL: no savepoint, no clean shutdown
            assertThat(job.waitFor(30, TimeUnit.SECONDS)).isTrue();
            Path resumedFrom = Checkpoints.latest(checkpoints).orElseThrow();
            System.out.printf(
                    "job process killed (exit %d) with %,d incidents on the live view; resuming from %s%n",
                    job.exitValue(), before, checkpoints.relativize(resumedFrom));

            job = startJob(kafka, target, prefix, checkpoints, "second");
            Process resumed = job;
            await().atMost(Duration.ofMinutes(10))
                    .pollInterval(Duration.ofSeconds(3))
                    .until(
                            () -> {
                                assertThat(resumed.isAlive()).as("the resumed job runs").isTrue();
                                return committedEvents(kafka, topics) >= REPORTS;
                            });

            ChangelogAudit.Result[] audit = new ChangelogAudit.Result[1];
            await().atMost(Duration.ofMinutes(5))
                    .pollInterval(Duration.ofSeconds(3))
                    .until(
                            () -> {
                                audit[0] = ChangelogAudit.run(kafka, topics, live);
                                return audit[0].clean();
                            });
            System.out.println("after the kill: " + audit[0]);
            assertThat(audit[0].events()).as("every report one event").isEqualTo(REPORTS);
            assertThat(audit[0].clean()).as(audit[0].toString()).isTrue();

            // the screen that stayed connected caught up: exactly what Kafka committed
            Map<String, Long> truth = latestCommitted(kafka, topics);
            await().atMost(Duration.ofSeconds(60))
                    .pollInterval(Duration.ofSeconds(1))
                    .untilAsserted(
                            () -> {
                                Map<String, Long> shown = new HashMap<>();
                                onScreen.forEach((id, i) -> shown.put(id, i.getLong("version")));
                                assertThat(shown).isEqualTo(truth);
                            });
            System.out.printf("screen: %,d incidents, as committed%n", truth.size());
            socket.close();
        } finally {
            if (job != null) {
                job.destroyForcibly();
                job.waitFor(30, TimeUnit.SECONDS);
            }
            vertx.close().toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
        }
    }

    /** Police reports 400 ms apart across the city, as contract JSON lines. */
    private static Path writeReports(Path file) throws Exception {
        Random random = new Random(7);
        String[] categories = {"ROBBERY", "BURGLARY", "ASSAULT", "THEFT", "VANDALISM"};
        Instant time = Instant.parse("2018-12-08T00:00:00Z");
        List<String> lines = new ArrayList<>(REPORTS);
        for (int i = 0; i < REPORTS; i++) {
            time = time.plusMillis(400);
            lines.add(
                    String.format(
                            Locale.ROOT,
                            "{\"callId\":\"K9-%d\",\"receivedAt\":\"%s\",\"category\":\"%s\","
                                    + "\"priority\":%d,\"location\":{\"lat\":%.5f,\"lon\":%.5f}}",
                            i,
                            time,
                            categories[random.nextInt(categories.length)],
                            1 + random.nextInt(4),
                            37.71 + random.nextDouble() * 0.09,
                            -122.50 + random.nextDouble() * 0.12));
        }
        return Files.write(file, lines);
    }

    /** The job jar's main in a JVM of its own, with this test's classpath. */
    private Process startJob(
            String kafka, String target, String prefix, Path checkpoints, String name)
            throws Exception {
        List<String> command =
                new ArrayList<>(
                        List.of(
                                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                                "-Xmx1g",
                                "-Dorg.apache.avro.SERIALIZABLE_PACKAGES=org.cityops",
                                "--add-opens=java.base/java.util=ALL-UNNAMED",
                                "--add-opens=java.base/java.lang=ALL-UNNAMED",
                                "-cp",
                                System.getProperty("java.class.path"),
                                CityOpsJobMain.class.getName()));
        command.addAll(
                List.of(
                        "--kafka",
                        kafka,
                        "--live-view",
                        target,
                        "--topic-prefix",
                        prefix,
                        "--group-id",
                        prefix + "ingest",
                        "--transactional-id-prefix",
                        prefix + "ingest",
                        "--checkpoint-interval-ms",
                        "1000",
                        "--checkpoint-dir",
                        checkpoints.toUri().toString(),
                        "--parallelism",
                        "2",
                        "--resume",
                        "latest"));
        File log = dir.resolve("job-" + name + ".log").toFile();
        return new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log).start();
    }

    private static void deploy(Vertx vertx, io.vertx.core.Deployable verticle, JsonObject config)
            throws Exception {
        vertx.deployVerticle(verticle, new DeploymentOptions().setConfig(config.put("port", 0)))
                .toCompletionStage()
                .toCompletableFuture()
                .get(60, TimeUnit.SECONDS);
    }

    /** A leader's screen, applying messages as screen.js does. */
    private static ClientWebSocket connectScreen(
            Vertx vertx, WebSocketClient sockets, int port, Map<String, JsonObject> onScreen)
            throws Exception {
        String token =
                new Tokens(vertx, new AccessConfig(SECRET, null))
                        .issue(new Reader("wall", Role.leader, null), Duration.ofHours(1));
        ClientWebSocket socket = sockets.webSocket();
        socket.textMessageHandler(
                text -> {
                    JsonObject message = new JsonObject(text);
                    switch (message.getString("type")) {
                        case "snapshot" ->
                                message.getJsonArray("incidents")
                                        .forEach(i -> newer(onScreen, (JsonObject) i));
                        case "delta" -> newer(onScreen, message.getJsonObject("incident"));
                        case "correction" -> {
                            JsonObject incident = message.getJsonObject("incident");
                            onScreen.put(incident.getString("incidentId"), incident);
                        }
                        case "withdrawn" -> onScreen.remove(message.getString("incidentId"));
                        default -> {}
                    }
                });
        socket.connect(
                        new WebSocketConnectOptions()
                                .setHost("127.0.0.1")
                                .setPort(port)
                                .setURI("/ws/screen?token=" + token))
                .toCompletionStage()
                .toCompletableFuture()
                .get(10, TimeUnit.SECONDS);
        return socket;
    }

    private static void newer(Map<String, JsonObject> onScreen, JsonObject incident) {
        onScreen.merge(
                incident.getString("incidentId"),
                incident,
                (held, next) -> next.getLong("version") > held.getLong("version") ? next : held);
    }

    private static long count(LiveView live) {
        return live.incidents(new IncidentQuery(null, null, null, null, 0, 1)).total();
    }

    private static long committedEvents(String kafka, Topics topics) {
        long[] n = {0};
        try (CommittedLog<CityEvent> log =
                CommittedLog.fromBeginning(kafka, topics.events().name(), CityEvent.class)) {
            log.readToEnd(e -> n[0]++);
        }
        return n[0];
    }

    private static Map<String, Long> latestCommitted(String kafka, Topics topics) {
        Map<String, Long> latest = new HashMap<>();
        try (CommittedLog<Incident> log =
                CommittedLog.fromBeginning(kafka, topics.incidents().name(), Incident.class)) {
            log.readToEnd(i -> latest.merge(i.getIncidentId(), i.getVersion(), Math::max));
        }
        return latest;
    }
}
