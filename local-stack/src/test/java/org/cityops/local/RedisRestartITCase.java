package org.cityops.local;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.vertx.core.Vertx;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.cityops.infra.RedisServerProcess;
import org.cityops.livestate.LiveView;
import org.cityops.livestate.LiveViews;
import org.cityops.schemas.topics.Topics;
import org.cityops.testing.TestInfra;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Redis stops in the middle of a replay and comes back empty on the same port (no persistence: the
 * worst case). While it is down dispatch-api reports the live view down; when it is back,
 * dispatch-api's keeper rebuilds the view from Kafka, the job goes on writing, and at the end the
 * live view and a screen that stayed connected hold exactly what Kafka committed.
 */
@Timeout(value = 8, unit = TimeUnit.MINUTES)
class RedisRestartITCase {

    private static final int REPORTS = 4_000;

    @TempDir Path dir;

    @Test
    void aRestartedEmptyRedisIsRebuiltAndScreensCatchUp() throws Exception {
        RedisServerProcess redis = RedisServerProcess.start(dir.resolve("redis"), 0, false);
        int port = redis.port();
        String prefix = TestInfra.uniquePrefix("rrst");
        Topics topics = Topics.withPrefix(prefix);
        String target = LiveViews.redisTarget(redis.uri(), prefix);
        Vertx vertx = Vertx.vertx();
        LocalStack stack = null;
        try {
            stack =
                    new LocalStack(
                                    LocalStackOptions.withoutReplay(
                                            dir.resolve("data"),
                                            null,
                                            TestInfra.kafkaBootstrapServers(),
                                            target,
                                            prefix,
                                            "a-redis-restart-secret-of-at-least-32-bytes",
                                            List.of()))
                            .start();
            String kafka = stack.kafka();
            ScreenMirror wall =
                    ScreenMirror.connect(vertx, stack.screenUrl(), stack.tokens().get("leader"));
            Path reports = DemoDay.policeReports(dir.resolve("police.calls.jsonl"), REPORTS, "RR");
            Drills.Load load = Drills.replay(kafka, topics, reports, "200");

            String ready = stack.apiUrl().replaceAll("/+$", "") + "/ready";
            HttpClient http = HttpClient.newHttpClient();
            long before;
            try (LiveView live = LiveViews.open(target)) {
                await().atMost(Duration.ofMinutes(2)).until(() -> Drills.incidents(live) >= 100);
                before = Drills.incidents(live);
            }
            redis.close();
            long stoppedAt = System.nanoTime();
            await().atMost(Duration.ofSeconds(30))
                    .pollInterval(Duration.ofMillis(250))
                    .until(() -> body(http, ready).contains("\"liveView\":\"DOWN\""));
            redis = RedisServerProcess.start(dir.resolve("redis"), port, false);
            assertThat(redis.port()).isEqualTo(port);
            try (LiveView live = LiveViews.open(target)) {
                await().atMost(Duration.ofSeconds(60))
                        .pollInterval(Duration.ofMillis(100))
                        .until(() -> Drills.incidents(live) >= before);
                System.out.printf(
                        "Redis restarted empty: %d incidents back %d ms after the stop%n",
                        before, (System.nanoTime() - stoppedAt) / 1_000_000);

                long accepted = load.awaitAccepted(Duration.ofMinutes(3));
                assertThat(accepted).isEqualTo(REPORTS);
                System.out.println(
                        "after the Redis restart: "
                                + Drills.awaitClean(
                                        kafka, topics, live, accepted, Duration.ofMinutes(3)));
            }
            System.out.printf(
                    "screen: %,d incidents, as committed%n",
                    Drills.awaitScreenAsCommitted(wall, kafka, topics));
            assertThat(stack.jobRunning()).isTrue();
            wall.close();
        } finally {
            if (stack != null) {
                stack.close();
            }
            redis.close();
            vertx.close().toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
        }
    }

    private static String body(HttpClient http, String url) {
        try {
            return http.send(
                            HttpRequest.newBuilder(URI.create(url))
                                    .timeout(Duration.ofSeconds(5))
                                    .build(),
                            HttpResponse.BodyHandlers.ofString())
                    .body();
        } catch (Exception e) {
            return "";
        }
    }
}
