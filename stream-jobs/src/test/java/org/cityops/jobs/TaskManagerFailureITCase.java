package org.cityops.jobs;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.apache.flink.api.common.JobStatus;
import org.apache.flink.runtime.minicluster.MiniCluster;
import org.apache.flink.runtime.testutils.MiniClusterResourceConfiguration;
import org.apache.flink.test.junit5.InjectMiniCluster;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.Deserializer;
import org.cityops.livestate.IncidentQuery;
import org.cityops.livestate.LiveView;
import org.cityops.livestate.LiveViews;
import org.cityops.schemas.city.CityEvent;
import org.cityops.schemas.city.Incident;
import org.cityops.schemas.city.IncidentReport;
import org.cityops.schemas.contract.Decoded;
import org.cityops.schemas.contract.FeedDecoder;
import org.cityops.schemas.contract.FeedSpec;
import org.cityops.schemas.feeds.PoliceCall;
import org.cityops.schemas.serde.AvroCodec;
import org.cityops.schemas.serde.AvroSerde;
import org.cityops.testing.KafkaTestClient;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * A TaskManager dies in the middle of a stream of reports (20,000 in CI, 200,000 as a drill). The
 * job restarts from its last checkpoint; then we count, from what was committed (read_committed):
 * every report is exactly one event, every report belongs to exactly one incident, every incident's
 * versions run 1..n with none missing and none twice, and Redis holds exactly each incident's
 * latest version.
 */
@Timeout(value = 40, unit = TimeUnit.MINUTES)
// A drill, not yet a CI test: it FAILS, and not because of the failure (issue 8). With 20,000
// reports already waiting when the job starts (2 TaskManagers x 1 slot, checkpoints every 1 s),
// city.events read_committed never shows the earliest ones: 7,621 and 7,807 missing in two runs
// WITHOUT any kill (-Dcityops.drill.kill=false), ids 0..~11,000 — while feed health counts all
// 20,000 accepted and the live view has their incidents. With the kill: 879-6,627 missing, always
// the
// earliest. No transaction is left open (Admin listTransactions); the first checkpoints fail (3 of
// the first 6). Suspect the KafkaSink losing the transactions of the first (failed) checkpoints;
// look
// for KafkaCommitter "data has been potentially lost" errors. Run:
// mvn -pl stream-jobs verify -Dit.test=TaskManagerFailureITCase -Dcityops.drill=tm-failure
//     [-Dcityops.drill.why=1] [-Dcityops.drill.kill=false] [-Dcityops.drill.afterCheckpoints=5]
@EnabledIfSystemProperty(named = "cityops.drill", matches = "tm-failure")
class TaskManagerFailureITCase {

    /**
     * 20,000 in CI (about a minute); the drill is the same test with {@code
     * -Dcityops.drill.reports=200000} (docs/runbook.md has the figures).
     */
    static final int REPORTS = Integer.getInteger("cityops.drill.reports", 20_000);

    private static final com.fasterxml.jackson.databind.ObjectMapper JSON =
            new com.fasterxml.jackson.databind.ObjectMapper();

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
            await().atMost(Duration.ofMinutes(10))
                    .pollInterval(Duration.ofMillis(500))
                    .until(
                            () ->
                                    count(live) >= REPORTS / 5
                                            && flink.getExecutionGraph(running.job.getJobID())
                                                            .get()
                                                            .getCheckpointStatsSnapshot()
                                                            .getCounts()
                                                            .getNumberOfCompletedCheckpoints()
                                                    >= Integer.getInteger(
                                                            "cityops.drill.afterCheckpoints", 1));
            long before = count(live);
            if (System.getProperty("cityops.drill.why") != null) {
                System.out.printf(
                        "before the kill: %,d reports committed as events%n",
                        KafkaTestClient.readAll(
                                        running.kafka,
                                        running.topics.events().name(),
                                        ids(CityEvent.class, e -> e.getEventId()))
                                .size());
            }
            boolean kill = !"false".equals(System.getProperty("cityops.drill.kill"));
            if (kill) {
                flink.terminateTaskManager(0).get(30, TimeUnit.SECONDS);
            }
            System.out.printf("TaskManager 0 killed with %d incidents in the live view%n", before);
            if (kill) {
                flink.startTaskManager(); // its replacement comes up, as Kubernetes would start one
            }

            // all of it through, and committed
            await().atMost(Duration.ofMinutes(20))
                    .pollInterval(Duration.ofSeconds(5))
                    .until(
                            () -> {
                                int committed =
                                        KafkaTestClient.readAll(
                                                        running.kafka,
                                                        running.topics.events().name(),
                                                        ids(CityEvent.class, e -> e.getEventId()))
                                                .size();
                                System.out.printf(
                                        "%,d of %,d reports committed as events%n",
                                        committed, REPORTS);
                                if (committed < REPORTS
                                        && System.getProperty("cityops.drill.why") != null) {
                                    Set<String> have =
                                            new HashSet<>(
                                                    KafkaTestClient.readAll(
                                                            running.kafka,
                                                            running.topics.events().name(),
                                                            ids(
                                                                    CityEvent.class,
                                                                    e -> e.getEventId())));
                                    List<Integer> gone = new java.util.ArrayList<>();
                                    for (int n = 0; n < REPORTS; n++) {
                                        if (!have.contains("police.calls/TM-" + n)) {
                                            gone.add(n);
                                        }
                                    }
                                    System.out.printf(
                                            "missing %d: first %s last %s%n",
                                            gone.size(),
                                            gone.isEmpty() ? "-" : gone.get(0),
                                            gone.isEmpty() ? "-" : gone.get(gone.size() - 1));
                                }
                                return committed >= REPORTS;
                            });
            var graph = flink.getExecutionGraph(running.job.getJobID()).get(10, TimeUnit.SECONDS);
            assertThat(graph.getStatusTimestamp(JobStatus.RESTARTING))
                    .as("the job really failed over")
                    .isPositive();
            assertThat(running.job.getJobStatus().get()).isEqualTo(JobStatus.RUNNING);

            // every report is exactly one event
            List<String> events =
                    KafkaTestClient.readAll(
                            running.kafka,
                            running.topics.events().name(),
                            ids(CityEvent.class, e -> e.getEventId()));
            assertThat(events).hasSize(REPORTS).doesNotHaveDuplicates();

            // incident versions: none twice, none missing; each report in exactly one incident
            // (decoded to what the count needs: 200,000 incidents' documents would not fit)
            Map<String, Version> latest = new HashMap<>();
            Set<String> versions = new HashSet<>();
            long duplicates = 0;
            for (Version v :
                    KafkaTestClient.readAll(
                            running.kafka,
                            running.topics.incidents().name(),
                            ids(
                                    Incident.class,
                                    i ->
                                            new Version(
                                                    i.getIncidentId(),
                                                    i.getVersion(),
                                                    i.getReports().stream()
                                                            .map(IncidentReport::getEventId)
                                                            .toList())))) {
                if (!versions.add(v.incidentId() + "@" + v.version())) {
                    duplicates++;
                }
                latest.merge(v.incidentId(), v, (a, b) -> a.version() >= b.version() ? a : b);
            }
            long missing = 0;
            Map<String, Integer> homes = new HashMap<>();
            for (Version incident : latest.values()) {
                for (long n = 1; n <= incident.version(); n++) {
                    if (!versions.contains(incident.incidentId() + "@" + n)) {
                        missing++;
                    }
                }
                incident.reports().forEach(r -> homes.merge(r, 1, Integer::sum));
            }
            long homeless = events.stream().filter(e -> !homes.containsKey(e)).count();
            long twice = homes.values().stream().filter(n -> n > 1).count();

            // Redis equals the changelog
            long stale = 0;
            for (Version incident : latest.values()) {
                var held = live.incident(incident.incidentId());
                if (held.isEmpty()
                        || JSON.readTree(held.get()).path("version").asLong()
                                != incident.version()) {
                    stale++;
                }
            }
            System.out.printf(
                    "%,d reports, %,d incidents, %,d versions in %d s: duplicate versions %d, missing versions %d, "
                            + "reports in no incident %d, in two %d, live view stale or missing %d%n",
                    REPORTS,
                    latest.size(),
                    versions.size(),
                    (System.nanoTime() - started) / 1_000_000_000,
                    duplicates,
                    missing,
                    homeless,
                    twice,
                    stale);
            assertThat(duplicates).as("incident versions published twice").isZero();
            assertThat(missing).as("incident versions missing").isZero();
            assertThat(homeless).as("reports in no incident").isZero();
            assertThat(twice).as("reports in two incidents").isZero();
            assertThat(stale).as("incidents whose live view is not the latest version").isZero();
        } finally {
            running.close();
        }
    }

    private record Version(String incidentId, long version, List<String> reports) {}

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
