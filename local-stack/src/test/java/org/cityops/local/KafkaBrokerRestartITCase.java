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
import org.cityops.infra.EmbeddedKafka;
import org.cityops.livestate.ChangelogAudit;
import org.cityops.livestate.LiveView;
import org.cityops.livestate.LiveViews;
import org.cityops.schemas.topics.Topics;
import org.cityops.testing.TestInfra;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The Kafka broker stops in the middle of a replay and comes back on the same port and data: the
 * replayer's idempotent producer holds its records, dispatch-api reports Kafka down and then up
 * again, the job fails over and resumes from its checkpoint, and at the end every accepted report
 * is one event in exactly one incident, nothing doubled ({@link ChangelogAudit}), and a screen that
 * stayed connected holds exactly the latest committed version of every incident.
 */
@Timeout(value = 10, unit = TimeUnit.MINUTES)
class KafkaBrokerRestartITCase {

    private static final int REPORTS = 6_000;

    @TempDir Path dir;

    @Test
    void aBrokerRestartUnderLoadLosesAndDoublesNothing() throws Exception {
        EmbeddedKafka broker = EmbeddedKafka.start(dir.resolve("kafka"), 0);
        int port = Integer.parseInt(broker.bootstrapServers().replaceAll(".*:", ""));
        String prefix = TestInfra.uniquePrefix("brk");
        Topics topics = Topics.withPrefix(prefix);
        String target = LiveViews.redisTarget(TestInfra.redisUri(), prefix);
        Vertx vertx = Vertx.vertx();
        LocalStack stack = null;
        try (LiveView live = LiveViews.open(target)) {
            stack =
                    new LocalStack(
                                    LocalStackOptions.withoutReplay(
                                            dir.resolve("data"),
                                            null,
                                            broker.bootstrapServers(),
                                            target,
                                            prefix,
                                            "a-broker-restart-secret-of-at-least-32-bytes",
                                            List.of()))
                            .start();
            ScreenMirror wall =
                    ScreenMirror.connect(vertx, stack.screenUrl(), stack.tokens().get("leader"));

            // about 40 s of reports at 300x, the broker's stop in the middle of them
            Path reports = DemoDay.policeReports(dir.resolve("police.calls.jsonl"), REPORTS, "BR");
            Drills.Load load = Drills.replay(broker.bootstrapServers(), topics, reports, "300");
            await().atMost(Duration.ofMinutes(2)).until(() -> Drills.incidents(live) >= 100);

            broker.close();
            long stoppedAt = System.nanoTime();
            HttpClient http = HttpClient.newHttpClient();
            String ready = stack.apiUrl().replaceAll("/+$", "") + "/ready";
            await().atMost(Duration.ofSeconds(60))
                    .pollInterval(Duration.ofMillis(250))
                    .until(() -> status(http, ready) == 503);
            System.out.printf(
                    "broker stopped with %d incidents; /ready 503 after %d ms%n",
                    Drills.incidents(live), (System.nanoTime() - stoppedAt) / 1_000_000);

            broker = EmbeddedKafka.start(dir.resolve("kafka"), port);
            assertThat(broker.bootstrapServers()).endsWith(":" + port);
            await().atMost(Duration.ofSeconds(60))
                    .pollInterval(Duration.ofMillis(250))
                    .until(() -> status(http, ready) == 200);
            System.out.printf(
                    "broker back, /ready 200 %d ms after the stop%n",
                    (System.nanoTime() - stoppedAt) / 1_000_000);

            long accepted = load.awaitAccepted(Duration.ofMinutes(3));
            assertThat(accepted).isEqualTo(REPORTS);
            String kafka = broker.bootstrapServers();
            System.out.println(
                    "after the broker restart: "
                            + Drills.awaitClean(
                                    kafka, topics, live, accepted, Duration.ofMinutes(4)));
            assertThat(stack.jobRunning()).as("the job recovered").isTrue();

            System.out.printf(
                    "screen: %,d incidents, as committed%n",
                    Drills.awaitScreenAsCommitted(wall, kafka, topics));
            wall.close();
        } finally {
            if (stack != null) {
                stack.close();
            }
            broker.close();
            vertx.close().toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
        }
    }

    private static int status(HttpClient http, String url) {
        try {
            return http.send(
                            HttpRequest.newBuilder(URI.create(url))
                                    .timeout(Duration.ofSeconds(5))
                                    .build(),
                            HttpResponse.BodyHandlers.discarding())
                    .statusCode();
        } catch (Exception e) {
            return -1;
        }
    }
}
