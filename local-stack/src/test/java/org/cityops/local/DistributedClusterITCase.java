package org.cityops.local;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.apache.flink.api.common.JobStatus;
import org.cityops.livestate.ChangelogAudit;
import org.cityops.livestate.LiveView;
import org.cityops.livestate.LiveViewKeeper;
import org.cityops.livestate.LiveViews;
import org.cityops.schemas.topics.TopicSetup;
import org.cityops.schemas.topics.Topics;
import org.cityops.testing.FlinkJobFailures;
import org.cityops.testing.TestInfra;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.CleanupMode;
import org.junit.jupiter.api.io.TempDir;

/**
 * The job jar on a real distributed deployment: a Flink session cluster whose JobManager and two
 * TaskManagers are separate JVMs started from Flink's Maven artifacts (module {@code
 * flink-session}), the job jar submitted with {@code flink run -d} (Flink's CLI, through the REST
 * API); Kafka as three KRaft brokers in separate processes, every topic replicated three times and
 * written to two. Under a replay one broker is killed (SIGKILL), then a TaskManager (SIGKILL) and a
 * replacement starts; the job recovers, and then nothing is lost or doubled ({@link
 * ChangelogAudit}), with dispatch-api's keeper putting the live view back to what was committed.
 */
@Timeout(value = 20, unit = TimeUnit.MINUTES)
class DistributedClusterITCase {

    private static final int REPORTS = Integer.getInteger("cityops.drill.reports", 8_000);
    private static final ObjectMapper JSON = new ObjectMapper();

    // kept when the test fails: the brokers', JobManager's and TaskManagers' logs are in it
    @TempDir(cleanup = CleanupMode.ON_SUCCESS)
    Path dir;

    @Test
    void theJobOnASessionClusterSurvivesALostBrokerAndALostTaskManager() throws Exception {
        String prefix = TestInfra.uniquePrefix("dist");
        Topics topics = Topics.withPrefix(prefix);
        String target = LiveViews.redisTarget(TestInfra.redisUri(), prefix);
        long started = System.nanoTime();
        try (KafkaClusterProcesses brokers = KafkaClusterProcesses.start(dir.resolve("kafka"));
                FlinkSessionProcesses flink = FlinkSessionProcesses.start(dir.resolve("flink"), 2);
                LiveView live = LiveViews.open(target)) {
            String kafka = brokers.bootstrapServers();
            TopicSetup.ensure(kafka, topics, 2, (short) 3);
            System.out.printf(
                    "3 brokers (%s) and a session cluster (JobManager + 2 TaskManagers) up in %d s%n",
                    kafka, (System.nanoTime() - started) / 1_000_000_000);

            // dispatch-api's keeper, as in production
            LiveViewKeeper keeper = new LiveViewKeeper(live, kafka, topics);
            AutoCloseable keeping = keeper.keepEverySecond();
            try {
                String job = submit(flink, kafka, target, prefix);
                await().atMost(Duration.ofMinutes(2))
                        .pollInterval(Duration.ofMillis(500))
                        .until(
                                () -> {
                                    assertStillRunning(flink, job);
                                    return status(flink, job).equals("RUNNING");
                                });

                Path reports =
                        DemoDay.policeReports(dir.resolve("police.calls.jsonl"), REPORTS, "D");
                Drills.Load load = Drills.replay(kafka, topics, reports, "200");

                await().atMost(Duration.ofMinutes(3))
                        .pollInterval(Duration.ofMillis(500))
                        .until(
                                () -> {
                                    assertStillRunning(flink, job);
                                    // under load, whether or not a checkpoint came yet: what is
                                    // not committed before the kill must commit on two brokers
                                    return Drills.incidents(live) >= 200;
                                });
                long committedBeforeBrokerKill = Drills.committedEvents(kafka, topics);
                brokers.kill(2);
                long atBrokerKill = Drills.incidents(live);
                System.out.printf(
                        "broker 3 killed with %d incidents, %d reports committed%n",
                        atBrokerKill, committedBeforeBrokerKill);
                await().atMost(Duration.ofMinutes(3))
                        .pollInterval(Duration.ofMillis(500))
                        // the job goes on with two brokers, and the TaskManager dies after a
                        // checkpoint, so the job restarts from one; if the replay is through
                        // before 200 more incidents come, that is enough
                        .until(
                                () -> {
                                    assertStillRunning(flink, job);
                                    return (Drills.incidents(live) >= atBrokerKill + 200
                                                    || load.finished())
                                            && completedCheckpoints(flink, job) >= 1;
                                });

                flink.killTaskManager(0);
                System.out.printf(
                        "TaskManager 1 killed with %d incidents, %d since the broker%n",
                        Drills.incidents(live), Drills.incidents(live) - atBrokerKill);
                flink.startTaskManager();
                await().atMost(Duration.ofMinutes(3))
                        .pollInterval(Duration.ofSeconds(1))
                        .until(
                                () -> {
                                    assertStillRunning(flink, job);
                                    return restarted(flink, job)
                                            && status(flink, job).equals("RUNNING");
                                });

                long accepted = load.awaitAccepted(Duration.ofMinutes(5));
                assertThat(accepted).isEqualTo(REPORTS);
                ChangelogAudit.Result audit =
                        Drills.awaitClean(
                                kafka,
                                topics,
                                live,
                                accepted,
                                Duration.ofMinutes(8),
                                () -> assertStillRunning(flink, job));
                System.out.printf(
                        "%,d reports through a lost broker and a lost TaskManager in %d s: %s;"
                                + " keeper put back or withdrew %d%n",
                        REPORTS,
                        (System.nanoTime() - started) / 1_000_000_000,
                        audit,
                        keeper.reconciled());
                assertThat(status(flink, job)).isEqualTo("RUNNING");
                // the audit counted every report committed: those not committed before the broker
                // died were committed by a job on two brokers (RF 3, min.insync 2)
                assertThat(audit.events() - committedBeforeBrokerKill)
                        .as("reports committed after broker 3 was lost")
                        .isPositive();
            } finally {
                keeping.close();
                keeper.close();
            }
        }
    }

    /** {@code flink run -d stream-jobs-*-job.jar ...}, as an operator would submit it. */
    private String submit(FlinkSessionProcesses flink, String kafka, String target, String prefix)
            throws Exception {
        Path jobJar;
        try (Stream<Path> jars = Files.list(DemoDay.ROOT.resolve("stream-jobs/target"))) {
            jobJar =
                    jars.filter(p -> p.getFileName().toString().endsWith("-job.jar"))
                            .findFirst()
                            .orElseThrow(
                                    () -> new IllegalStateException("no job jar: mvn package"));
        }
        List<String> args =
                new java.util.ArrayList<>(
                        Drills.jobArgs(kafka, target, prefix, dir.resolve("checkpoints")));
        args.addAll(List.of("--restart-attempts", "30"));
        return flink.run(jobJar, args);
    }

    private static JsonNode job(FlinkSessionProcesses flink, String job) throws Exception {
        return JSON.readTree(flink.rest("/jobs/" + job));
    }

    private static String status(FlinkSessionProcesses flink, String job) throws Exception {
        return job(flink, job).path("state").asText();
    }

    /** Fails with the job's failures once it has ended, so no wait outlives the job. */
    private static void assertStillRunning(FlinkSessionProcesses flink, String job)
            throws Exception {
        String status = status(flink, job);
        if (JobStatus.valueOf(status).isGloballyTerminalState()) {
            throw FlinkJobFailures.ended(
                    status, FlinkJobFailures.parse(flink.rest(FlinkJobFailures.path(job))), null);
        }
    }

    private static boolean restarted(FlinkSessionProcesses flink, String job) throws Exception {
        return job(flink, job).path("timestamps").path("RESTARTING").asLong() > 0;
    }

    private static long completedCheckpoints(FlinkSessionProcesses flink, String job)
            throws Exception {
        return JSON.readTree(flink.rest("/jobs/" + job + "/checkpoints"))
                .path("counts")
                .path("completed")
                .asLong();
    }
}
