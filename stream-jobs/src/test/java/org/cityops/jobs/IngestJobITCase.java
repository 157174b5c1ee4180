package org.cityops.jobs;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.runtime.testutils.MiniClusterResourceConfiguration;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.cityops.livestate.Documents;
import org.cityops.livestate.LiveView;
import org.cityops.livestate.LiveViews;
import org.cityops.schemas.city.CityEvent;
import org.cityops.schemas.city.CommandKind;
import org.cityops.schemas.city.DeadLetter;
import org.cityops.schemas.city.FeedbackCommand;
import org.cityops.schemas.city.Incident;
import org.cityops.schemas.contract.FeedSpec;
import org.cityops.schemas.serde.AvroSerde;
import org.cityops.schemas.topics.Topics;
import org.cityops.testing.KafkaTestClient;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The ingest job on a Flink MiniCluster between a real Kafka broker and a real redis-server. */
@Timeout(value = 3, unit = TimeUnit.MINUTES)
class IngestJobITCase {

    @RegisterExtension
    static final MiniClusterExtension FLINK =
            new MiniClusterExtension(
                    new MiniClusterResourceConfiguration.Builder()
                            .setNumberTaskManagers(1)
                            .setNumberSlotsPerTaskManager(2)
                            .build());

    private static final String READING =
            "{\"segmentId\":\"S-9\",\"observedAt\":\"2018-12-01T23:30:00Z\",\"speedKmh\":12.5,"
                    + "\"freeFlowKmh\":48,\"location\":{\"lat\":37.7749,\"lon\":-122.4194}}";

    @Test
    void validRecordsBecomeEventsAndIncidentsOnceAndBadOnesAreDeadLetteredWhileTheJobRuns()
            throws Exception {
        JobUnderTest running =
                JobUnderTest.start("ingest", Map.of("feed-health-interval-ms", "100"));
        String prefix = running.prefix;
        Topics topics = running.topics;
        String kafka = running.kafka;
        JobConfig config = running.config;
        JobClient job = running.job;
        try (KafkaProducer<byte[], byte[]> producer = KafkaTestClient.producer(kafka);
                LiveView live = LiveViews.open(config.liveView())) {
            String police = topics.feed(FeedSpec.POLICE_CALLS).name();
            String p1 = TestRecords.policeCall("P-1", "2018-12-01T23:34:00Z", "ROBBERY", 2, "");
            avro(producer, police, FeedSpec.POLICE_CALLS, p1);
            avro(producer, police, FeedSpec.POLICE_CALLS, p1); // a producer retry
            avro(
                    producer,
                    police,
                    FeedSpec.POLICE_CALLS,
                    TestRecords.policeCall(
                            "P-1", "2018-12-01T23:36:00Z", "ROBBERY", 1, ",\"action\":\"UPDATE\""));
            json(
                    producer,
                    police,
                    TestRecords.policeCall("P-2", "2018-12-01T23:35:00Z", "BURGLARY", 3, ""));
            json(
                    producer,
                    police,
                    TestRecords.policeCall("P-3", "2018-12-01T23:35:00Z", "BURGLARY", 9, ""));
            KafkaTestClient.send(
                    producer,
                    new ProducerRecord<>(police, "junk".getBytes(), new byte[] {1, 2, 3, 4, 5}));
            avro(
                    producer,
                    topics.feed(FeedSpec.MEDICAL_CALLS).name(),
                    FeedSpec.MEDICAL_CALLS,
                    TestRecords.medicalCall("M-1", "2018-12-01T23:37:00Z", 1));
            String readings = topics.feed(FeedSpec.TRAFFIC_READINGS).name();
            avro(producer, readings, FeedSpec.TRAFFIC_READINGS, READING);
            avro(producer, readings, FeedSpec.TRAFFIC_READINGS, READING);

            await().atMost(Duration.ofSeconds(60))
                    .untilAsserted(
                            () -> {
                                List<CityEvent> events =
                                        KafkaTestClient.readAll(
                                                kafka,
                                                topics.events().name(),
                                                new AvroSerde<>(CityEvent.class));
                                assertThat(events)
                                        .extracting(e -> e.getEventId() + " " + e.getAction())
                                        .containsExactlyInAnyOrder(
                                                "police.calls/P-1 NEW", "police.calls/P-1 UPDATE",
                                                "police.calls/P-2 NEW", "medical.calls/M-1 NEW");
                            });

            // Each sink commits its own transaction when a checkpoint completes: wait for all of
            // them.
            await().atMost(Duration.ofSeconds(30))
                    .untilAsserted(
                            () -> {
                                List<DeadLetter> deadLetters =
                                        KafkaTestClient.readAll(
                                                kafka,
                                                topics.deadLetters().name(),
                                                new AvroSerde<>(DeadLetter.class));
                                assertThat(deadLetters)
                                        .extracting(DeadLetter::getReason)
                                        .containsExactlyInAnyOrder(
                                                "priority: must be between 1 and 4, was 9",
                                                "not Avro single-object encoding (no C3 01 marker): produce police.calls with the event-schemas serializer");
                                assertThat(deadLetters)
                                        .filteredOn(d -> d.getReason().startsWith("priority"))
                                        .singleElement()
                                        .satisfies(
                                                d ->
                                                        assertThat(
                                                                        StandardCharsets.UTF_8
                                                                                .decode(
                                                                                        d
                                                                                                .getPayload())
                                                                                .toString())
                                                                .contains("\"callId\":\"P-3\""));

                                Map<String, Long> latestVersions =
                                        KafkaTestClient.readAll(
                                                        kafka,
                                                        topics.incidents().name(),
                                                        new AvroSerde<>(Incident.class))
                                                .stream()
                                                .collect(
                                                        Collectors.toMap(
                                                                Incident::getIncidentId,
                                                                Incident::getVersion,
                                                                Math::max));
                                assertThat(latestVersions)
                                        .containsExactlyInAnyOrderEntriesOf(
                                                Map.of(
                                                        "INC-POL-P-1",
                                                        2L,
                                                        "INC-POL-P-2",
                                                        1L,
                                                        "INC-MED-M-1",
                                                        1L));
                            });

            await().atMost(Duration.ofSeconds(20))
                    .untilAsserted(
                            () -> {
                                assertThat(live.incident("INC-POL-P-1"))
                                        .get()
                                        .asString()
                                        .contains("\"version\":2");
                                Map<String, String> health =
                                        live.feedHealth().stream()
                                                .map(Documents::parse)
                                                .collect(
                                                        Collectors.toMap(
                                                                d -> d.get("feed").asText(),
                                                                d ->
                                                                        d.get("accepted").asLong()
                                                                                + "/"
                                                                                + d.get("rejected")
                                                                                        .asLong()
                                                                                + "/"
                                                                                + d.get(
                                                                                                "duplicates")
                                                                                        .asLong()));
                                assertThat(health)
                                        .containsEntry("police.calls", "3/2/1")
                                        .containsEntry("medical.calls", "1/0/0")
                                        .containsEntry("traffic.readings", "1/0/1");
                            });
            List<String> recentDeadLetters = live.deadLetters("police.calls", 10);
            assertThat(recentDeadLetters).hasSize(2);
            assertThat(String.join("\n", recentDeadLetters))
                    .doesNotContain("415-555-0142", "Ada Lovelace")
                    .contains("***42");
            // An operator merges P-2 into P-1 through dispatch.feedback.
            FeedbackCommand merge =
                    FeedbackCommand.newBuilder()
                            .setCommandId("cmd-merge-1")
                            .setKind(CommandKind.MERGE)
                            .setIncidentId("INC-POL-P-2")
                            .setTargetIncidentId("INC-POL-P-1")
                            .setActor("op-1")
                            .setActorRole("operator")
                            .setAt(java.time.Instant.now())
                            .build();
            KafkaTestClient.send(
                    producer,
                    new ProducerRecord<>(
                            topics.feedback().name(),
                            "INC-POL-P-2".getBytes(StandardCharsets.UTF_8),
                            topics.feedback()
                                    .valueSerde()
                                    .serializer()
                                    .serialize(topics.feedback().name(), merge)));
            await().atMost(Duration.ofSeconds(20))
                    .untilAsserted(
                            () -> {
                                assertThat(live.incident("INC-POL-P-2"))
                                        .get()
                                        .asString()
                                        .contains(
                                                "\"status\":\"MERGED\"",
                                                "\"mergedInto\":\"INC-POL-P-1\"");
                                assertThat(
                                                Documents.parse(
                                                                live.incident("INC-POL-P-1")
                                                                        .orElseThrow())
                                                        .withArray("reports"))
                                        .hasSize(2);
                            });
            assertThat(job.getJobStatus().get().isTerminalState())
                    .as("the job keeps running")
                    .isFalse();
        } finally {
            job.cancel().get();
        }
    }

    private static <T extends org.apache.avro.specific.SpecificRecord> void avro(
            KafkaProducer<byte[], byte[]> producer, String topic, FeedSpec<T> spec, String line) {
        KafkaTestClient.send(producer, new ProducerRecord<>(topic, TestRecords.avro(spec, line)));
    }

    private static void json(KafkaProducer<byte[], byte[]> producer, String topic, String line) {
        ProducerRecord<byte[], byte[]> record =
                new ProducerRecord<>(topic, line.getBytes(StandardCharsets.UTF_8));
        record.headers()
                .add(Topics.FORMAT_HEADER, Topics.FORMAT_JSON.getBytes(StandardCharsets.UTF_8));
        KafkaTestClient.send(producer, record);
    }
}
