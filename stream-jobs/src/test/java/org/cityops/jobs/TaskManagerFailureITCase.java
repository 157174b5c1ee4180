package org.cityops.jobs;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.apache.flink.api.common.JobStatus;
import org.apache.flink.runtime.minicluster.MiniCluster;
import org.apache.flink.runtime.testutils.MiniClusterResourceConfiguration;
import org.apache.flink.test.junit5.InjectMiniCluster;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.Deserializer;
import org.cityops.livestate.ChangelogAudit;
import org.cityops.livestate.IncidentQuery;
import org.cityops.livestate.LiveView;
import org.cityops.livestate.LiveViewKeeper;
import org.cityops.livestate.LiveViews;
import org.cityops.schemas.city.CityEvent;
import org.cityops.schemas.contract.Decoded;
import org.cityops.schemas.contract.FeedDecoder;
import org.cityops.schemas.contract.FeedSpec;
import org.cityops.schemas.feeds.PoliceCall;
import org.cityops.schemas.serde.AvroCodec;
import org.cityops.schemas.serde.AvroSerde;
import org.cityops.testing.KafkaTestClient;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * A TaskManager dies while the job works through a backlog of police reports (2 TaskManagers x 1
 * slot, checkpoints every second); its replacement starts, the job restarts from the last
 * checkpoint, and then everything is counted ({@link ChangelogAudit}): every report exactly one
 * event in {@code city.events} (read committed), no incident version twice or missing, every report
 * in exactly one incident, and the live view — with dispatch-api's keeper running — at each
 * incident's latest committed version and holding nothing Kafka never committed. 20,000 reports in
 * CI; the drill at scale: {@code mvn -pl stream-jobs verify -Dit.test=TaskManagerFailureITCase
 * -Dcityops.drill.reports=200000} ({@code -Dcityops.drill.kill=false} for the same count without
 * the failure).
 */
@Timeout(value = 90, unit = TimeUnit.MINUTES) // CI runs it in 2 minutes; the 200,000 drill in ~35
class TaskManagerFailureITCase {

    static final int REPORTS = Integer.getInteger("cityops.drill.reports", 20_000);

    @RegisterExtension
    static final MiniClusterExtension FLINK =
            new MiniClusterExtension(
                    new MiniClusterResourceConfiguration.Builder()
                            // one slot each at parallelism 2: both TaskManagers run tasks
                            .setNumberTaskManagers(2)
                            .setNumberSlotsPerTaskManager(1)
                            .build());

    @Test
    void nothingIsLostOrDoubledWhenATaskManagerDiesMidStream(@InjectMiniCluster MiniCluster flink)
            throws Exception {
        JobUnderTest running =
                JobUnderTest.start(
                        "tmfail",
                        Map.of(
                                "restart-attempts", "10",
                                "checkpoint-interval-ms", "1000",
                                "feed-health-interval-ms", "1000"));
        String topic = running.topics.feed(FeedSpec.POLICE_CALLS).name();
        long started = System.nanoTime();
        // dispatch-api's keeper, as in production: it undoes what the failed run never committed
        LiveView keeperView = LiveViews.open(running.config.liveView());
        LiveViewKeeper keeper = new LiveViewKeeper(keeperView, running.kafka, running.topics);
        AutoCloseable keeping = keeper.keepEverySecond();
        try (KafkaProducer<byte[], byte[]> producer = KafkaTestClient.producer(running.kafka);
                LiveView live = LiveViews.open(running.config.liveView())) {
            FeedDecoder<PoliceCall> decoder = new FeedDecoder<>(FeedSpec.POLICE_CALLS);
            AvroCodec<PoliceCall> codec = AvroCodec.of(PoliceCall.class);
            Random random = new Random(42);
            String[] categories = {"ROBBERY", "BURGLARY", "ASSAULT", "THEFT", "VANDALISM"};
            Instant time = Instant.parse("2018-12-08T00:00:00Z");
            for (int i = 0; i < REPORTS; i++) {
                time = time.plusMillis(400);
                double lat = 37.71 + random.nextDouble() * 0.09;
                double lon = -122.50 + random.nextDouble() * 0.12;
                String line =
                        String.format(
                                java.util.Locale.ROOT,
                                "{\"callId\":\"TM-%d\",\"receivedAt\":\"%s\",\"category\":\"%s\",\"priority\":%d,"
                                        + "\"location\":{\"lat\":%.5f,\"lon\":%.5f}}",
                                i,
                                time,
                                categories[random.nextInt(categories.length)],
                                1 + random.nextInt(4),
                                lat,
                                lon);
                Decoded<PoliceCall> decoded = decoder.decodeJson(line);
                PoliceCall call = ((Decoded.Accepted<PoliceCall>) decoded).record();
                producer.send(
                        new ProducerRecord<>(
                                topic,
                                ("TM-" + i).getBytes(StandardCharsets.UTF_8),
                                codec.encode(call)));
            }
            producer.flush();

            // mid-stream: a TaskManager dies
            await().atMost(Duration.ofMinutes(Math.max(10, REPORTS / 10_000)))
                    .pollInterval(Duration.ofMillis(500))
                    .until(
                            () -> {
                                running.assertStillRunning(flink);
                                // a fifth of the way in (at most 10,000 incidents)
                                return count(live) >= Math.min(REPORTS / 5, 10_000)
                                        && flink.getExecutionGraph(running.job.getJobID())
                                                        .get()
                                                        .getCheckpointStatsSnapshot()
                                                        .getCounts()
                                                        .getNumberOfCompletedCheckpoints()
                                                >= Integer.getInteger(
                                                        "cityops.drill.afterCheckpoints", 1);
                            });
            long before = count(live);
            boolean kill = !"false".equals(System.getProperty("cityops.drill.kill"));
            if (kill) {
                flink.terminateTaskManager(0).get(30, TimeUnit.SECONDS);
            }
            System.out.printf(
                    "%s with %d incidents in the live view%n",
                    kill ? "TaskManager 0 killed" : "no kill (cityops.drill.kill=false)", before);
            if (kill) {
                flink.startTaskManager(); // its replacement comes up, as Kubernetes would start one
            }

            // all of it through, and committed
            await().atMost(Duration.ofMinutes(Math.max(20, REPORTS / 4_000)))
                    .pollInterval(Duration.ofSeconds(5))
                    .until(
                            () -> {
                                running.assertStillRunning(flink);
                                int committed =
                                        KafkaTestClient.readAll(
                                                        running.kafka,
                                                        running.topics.events().name(),
                                                        ids(CityEvent.class, e -> e.getEventId()))
                                                .size();
                                System.out.printf(
                                        "%,d of %,d reports committed as events%n",
                                        committed, REPORTS);
                                return committed >= REPORTS;
                            });
            var graph = flink.getExecutionGraph(running.job.getJobID()).get(10, TimeUnit.SECONDS);
            var checkpoints = graph.getCheckpointStatsSnapshot();
            var latest = checkpoints.getHistory().getLatestCompletedCheckpoint();
            System.out.printf(
                    "checkpoints: %d completed, %d failed; the latest %,d bytes of state%n",
                    checkpoints.getCounts().getNumberOfCompletedCheckpoints(),
                    checkpoints.getCounts().getNumberOfFailedCheckpoints(),
                    latest == null ? 0 : latest.getStateSize());
            System.out.println(
                    "the job's failures, oldest first:\n  "
                            + String.join("\n  ", running.failures(flink)));
            if (kill) {
                assertThat(graph.getStatusTimestamp(JobStatus.RESTARTING))
                        .as("the job really failed over")
                        .isPositive();
            }
            assertThat(running.job.getJobStatus().get()).isEqualTo(JobStatus.RUNNING);

            // everything settles (fusion waits for the watermark; the live view runs ahead of
            // the checkpoint-committed changelog), then nothing may be lost or doubled
            ChangelogAudit.Result[] last = new ChangelogAudit.Result[1];
            await().atMost(Duration.ofMinutes(10))
                    .pollInterval(Duration.ofSeconds(5))
                    .until(
                            () -> {
                                running.assertStillRunning(flink);
                                last[0] = ChangelogAudit.run(running.kafka, running.topics, live);
                                System.out.println(last[0]);
                                return last[0].clean();
                            });
            ChangelogAudit.Result audit = last[0];
            System.out.printf(
                    "%,d reports in %d s: %s; the keeper put back or withdrew %d incidents%n",
                    REPORTS,
                    (System.nanoTime() - started) / 1_000_000_000,
                    audit,
                    keeper.reconciled());
            assertThat(audit.events()).as("every report one event").isEqualTo(REPORTS);
            assertThat(audit.duplicateEvents()).isZero();
            assertThat(audit.duplicateVersions()).as("incident versions twice").isZero();
            assertThat(audit.missingVersions()).as("incident versions missing").isZero();
            assertThat(audit.compactedAway())
                    .as(
                            "every version still in the changelog to be counted (a day's compaction lag)")
                    .isZero();
            assertThat(audit.eventsInNoIncident()).as("reports in no incident").isZero();
            assertThat(audit.eventsInTwoIncidents()).as("reports in two incidents").isZero();
            assertThat(audit.liveViewStale()).as("live view not at the latest version").isZero();
            assertThat(audit.liveViewNeverCommitted())
                    .as("on the live view, never committed")
                    .isZero();
        } finally {
            keeping.close();
            keeper.close();
            keeperView.close();
            running.close();
        }
    }

    private static long count(LiveView live) {
        return live.incidents(new IncidentQuery(null, null, null, null, 0, 1)).total();
    }

    /** Decodes only what the count needs. */
    private static <T extends org.apache.avro.specific.SpecificRecord, R> Deserializer<R> ids(
            Class<T> type, java.util.function.Function<T, R> id) {
        Deserializer<T> avro = new AvroSerde<>(type).deserializer();
        return (topic, bytes) -> id.apply(avro.deserialize(topic, bytes));
    }
}
