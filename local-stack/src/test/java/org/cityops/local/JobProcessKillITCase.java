package org.cityops.local;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.vertx.core.DeploymentOptions;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import java.io.File;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.cityops.access.AccessConfig;
import org.cityops.access.Reader;
import org.cityops.access.Role;
import org.cityops.access.Tokens;
import org.cityops.api.DispatchApiVerticle;
import org.cityops.jobs.Checkpoints;
import org.cityops.jobs.CityOpsJobMain;
import org.cityops.livestate.ChangelogAudit;
import org.cityops.livestate.LiveView;
import org.cityops.livestate.LiveViews;
import org.cityops.replay.Replayer;
import org.cityops.replay.Speed;
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
@Timeout(
        value = 90,
        unit = TimeUnit.MINUTES) // CI: 1 minute at 10,000 reports; the 200,000 drill ~30
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
        Path reports = DemoDay.policeReports(dir.resolve("police.calls.jsonl"), REPORTS, "K9");

        Vertx vertx = Vertx.vertx();
        Process job = null;
        try (LiveView live = LiveViews.open(target)) {
            DashboardFeedVerticle screen = new DashboardFeedVerticle();
            JsonObject common = new JsonObject().put("liveView", target).put("jwtSecret", SECRET);
            deploy(
                    vertx,
                    new DispatchApiVerticle(),
                    common.copy().put("kafka", kafka).put("topicPrefix", prefix));
            deploy(vertx, screen, common.copy());
            ScreenMirror wall =
                    ScreenMirror.connect(
                            vertx,
                            "http://127.0.0.1:" + screen.actualPort() + "/",
                            new Tokens(vertx, new AccessConfig(SECRET, null))
                                    .issue(
                                            new Reader("wall", Role.leader, null),
                                            Duration.ofHours(1)));

            job = startJob(kafka, target, prefix, checkpoints, "first");
            try (Replayer replayer = new Replayer(kafka, topics)) {
                replayer.replay(List.of(reports), null, Speed.parse("max"), null);
            }
            // killed with part of the backlog through (10,000 incidents at most: a 200,000-report
            // drill is killed early enough to leave most of it for the resumed job)
            await().atMost(Duration.ofMinutes(Math.max(5, REPORTS / 10_000)))
                    .pollInterval(Duration.ofMillis(200))
                    .until(
                            () ->
                                    Checkpoints.latest(checkpoints).isPresent()
                                            && Drills.incidents(live)
                                                    >= Math.min(REPORTS / 10, 10_000));
            long before = Drills.incidents(live);
            job.destroyForcibly(); // SIGKILL: no savepoint, no clean shutdown
            assertThat(job.waitFor(30, TimeUnit.SECONDS)).isTrue();
            Path resumedFrom = Checkpoints.latest(checkpoints).orElseThrow();
            System.out.printf(
                    "job process killed (exit %d) with %,d incidents on the live view; resuming from %s%n",
                    job.exitValue(), before, checkpoints.relativize(resumedFrom));

            job = startJob(kafka, target, prefix, checkpoints, "second");
            Process resumed = job;
            Drills.awaitEvents(
                    kafka, topics, REPORTS, Duration.ofMinutes(Math.max(10, REPORTS / 4_000)));
            System.out.println(
                    "after the kill: "
                            + Drills.awaitClean(
                                    kafka, topics, live, REPORTS, Duration.ofMinutes(10)));
            assertThat(resumed.isAlive()).as("the resumed job runs").isTrue();

            // the screen that stayed connected caught up: exactly what Kafka committed
            System.out.printf(
                    "screen: %,d incidents, as committed%n",
                    Drills.awaitScreenAsCommitted(wall, kafka, topics));
            wall.close();
        } finally {
            if (job != null) {
                job.destroyForcibly();
                job.waitFor(30, TimeUnit.SECONDS);
            }
            vertx.close().toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
        }
    }

    /** The job jar's main in a JVM of its own, with this test's classpath. */
    private Process startJob(
            String kafka, String target, String prefix, Path checkpoints, String name)
            throws Exception {
        List<String> command =
                new ArrayList<>(
                        List.of(
                                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                                // half of a TaskManager's 4 GiB in deploy/k8s: a 200,000-report
                                // drill holds ~70,000 incidents in the job's state
                                "-Xmx2g",
                                "-Dorg.apache.avro.SERIALIZABLE_PACKAGES=org.cityops",
                                "--add-opens=java.base/java.util=ALL-UNNAMED",
                                "--add-opens=java.base/java.lang=ALL-UNNAMED",
                                "-cp",
                                System.getProperty("java.class.path"),
                                CityOpsJobMain.class.getName()));
        command.addAll(Drills.jobArgs(kafka, target, prefix, checkpoints));
        command.addAll(List.of("--resume", "latest"));
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
}
