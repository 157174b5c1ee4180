package org.cityops.jobs;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.runtime.testutils.MiniClusterResourceConfiguration;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.cityops.livestate.Documents;
import org.cityops.livestate.LiveView;
import org.cityops.livestate.LiveViews;
import org.cityops.schemas.city.Alert;
import org.cityops.schemas.contract.FeedSpec;
import org.cityops.schemas.serde.AvroSerde;
import org.cityops.schemas.topics.Topics;
import org.cityops.testing.KafkaTestClient;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Detection rules in the running job: published on the rules topic, hot-reloaded, firing alerts.
 */
@Timeout(value = 3, unit = TimeUnit.MINUTES)
class RulesITCase {

    @RegisterExtension
    static final MiniClusterExtension FLINK =
            new MiniClusterExtension(
                    new MiniClusterResourceConfiguration.Builder()
                            .setNumberTaskManagers(1)
                            .setNumberSlotsPerTaskManager(2)
                            .build());

    static final String MASS_CASUALTY =
            """
            {"id":"mass-casualty","version":1,"description":"three EMS calls close together","kind":"threshold",
             "params":{"match":{"departments":["medical"]},"count":3,"groupBy":"radius","radiusMeters":300,"windowSeconds":600},
             "action":{"type":"raiseSeverity","severity":5,"message":"suspected mass casualty"}}""";

    static final String UNCONFIRMED_ALARM =
            """
            {"id":"unconfirmed-alarm","version":1,"description":"d","kind":"absence",
             "params":{"first":{"categories":["FIRE_ALARM"],"attributes":{"source":"AUTOMATIC_DETECTOR"}},
                       "missing":{"categories":["STRUCTURE_FIRE"]},"radiusMeters":150,"withinSeconds":300},
             "action":{"type":"notifyDepartment","department":"fire","severity":2,"message":"automatic alarm not confirmed"}}""";

    static String medical(String id, String time, double lat) {
        return "{\"callId\":\""
                + id
                + "\",\"receivedAt\":\""
                + time
                + "\",\"complaint\":\"TRAUMA\",\"acuity\":3,"
                + "\"location\":{\"lat\":"
                + lat
                + ",\"lon\":-122.4148}}";
    }

    @Test
    void aPublishedRuleFiresOnTheRunningJobAndABadUpdateIsRejectedWithoutStoppingIt()
            throws Exception {
        JobUnderTest running = JobUnderTest.start("rules", Map.of("idleness-s", "1"));
        String prefix = running.prefix;
        Topics topics = running.topics;
        String kafka = running.kafka;
        JobConfig config = running.config;
        JobClient job = running.job;
        try (KafkaProducer<byte[], byte[]> producer = KafkaTestClient.producer(kafka);
                LiveView live = LiveViews.open(config.liveView())) {
            publishRule(producer, topics, "mass-casualty", MASS_CASUALTY);
            await().atMost(Duration.ofSeconds(30))
                    .until(() -> live.rules().toString().contains("\"status\":\"active\""));

            String medical = topics.feed(FeedSpec.MEDICAL_CALLS).name();
            for (String[] call :
                    new String[][] {
                        {"M-1", "2018-12-08T10:00:00Z", "37.7599"},
                        {"M-2", "2018-12-08T10:03:00Z", "37.7600"},
                        {"M-3", "2018-12-08T10:05:00Z", "37.7601"}
                    }) {
                KafkaTestClient.send(
                        producer,
                        new ProducerRecord<>(
                                medical,
                                TestRecords.avro(
                                        FeedSpec.MEDICAL_CALLS,
                                        medical(call[0], call[1], Double.parseDouble(call[2])))));
            }

            await().atMost(Duration.ofSeconds(30))
                    .untilAsserted(
                            () -> {
                                List<String> alerts = live.alerts(10, false);
                                assertThat(alerts)
                                        .singleElement()
                                        .satisfies(
                                                a -> {
                                                    ObjectNode alert = Documents.parse(a);
                                                    assertThat(alert.get("ruleId").asText())
                                                            .isEqualTo("mass-casualty");
                                                    assertThat(alert.get("ruleVersion").asInt())
                                                            .isEqualTo(1);
                                                    assertThat(alert.withArray("evidenceEventIds"))
                                                            .hasSize(3);
                                                });
                            });
            // The action: every incident of the burst is raised to severity 5.
            List<String> burst = incidentsOf(live.alerts(10, false).get(0));
            await().atMost(Duration.ofSeconds(20))
                    .ignoreExceptions()
                    .untilAsserted(
                            () ->
                                    assertThat(burst)
                                            .allSatisfy(
                                                    id ->
                                                            assertThat(
                                                                            Documents.parse(
                                                                                            live.incident(
                                                                                                            id)
                                                                                                    .orElseThrow())
                                                                                    .get("severity")
                                                                                    .asInt())
                                                                    .isEqualTo(5)));
            await().atMost(Duration.ofSeconds(30))
                    .untilAsserted(
                            () ->
                                    assertThat(
                                                    KafkaTestClient.readAll(
                                                            kafka,
                                                            topics.alerts().name(),
                                                            new AvroSerde<>(Alert.class)))
                                            .extracting(Alert::getRuleId)
                                            .containsExactly("mass-casualty"));
            await().atMost(Duration.ofSeconds(20))
                    .untilAsserted(
                            () ->
                                    assertThat(live.rules().get(0))
                                            .contains("\"firings\":1")
                                            .contains("\"evaluations\":3"));

            // A broken update is rejected with its reason; the active version keeps working.
            publishRule(
                    producer,
                    topics,
                    "mass-casualty",
                    MASS_CASUALTY
                            .replace("\"version\":1", "\"version\":2")
                            .replace("\"count\":3", "\"count\":1"));
            await().atMost(Duration.ofSeconds(20))
                    .untilAsserted(
                            () ->
                                    assertThat(live.rules().get(0))
                                            .contains(
                                                    "\"status\":\"active\"",
                                                    "params.count: must be between 2 and 10000, was 1",
                                                    "\"version\":1"));

            // A valid dry-run version is hot-reloaded: it reports, and takes no action.
            publishRule(
                    producer,
                    topics,
                    "mass-casualty",
                    MASS_CASUALTY
                            .replace("\"version\":1", "\"version\":3")
                            .replace("\"kind\"", "\"dryRun\":true,\"kind\""));
            await().atMost(Duration.ofSeconds(20))
                    .untilAsserted(() -> assertThat(live.rules().get(0)).contains("\"version\":3"));
            for (String[] call :
                    new String[][] {
                        {"M-4", "2018-12-08T11:00:00Z", "37.7599"},
                        {"M-5", "2018-12-08T11:01:00Z", "37.7600"},
                        {"M-6", "2018-12-08T11:02:00Z", "37.7601"}
                    }) {
                KafkaTestClient.send(
                        producer,
                        new ProducerRecord<>(
                                medical,
                                TestRecords.avro(
                                        FeedSpec.MEDICAL_CALLS,
                                        medical(call[0], call[1], Double.parseDouble(call[2])))));
            }
            await().atMost(Duration.ofSeconds(30))
                    .untilAsserted(() -> assertThat(live.alerts(10, true)).hasSize(2));
            assertThat(live.alerts(10, false))
                    .as("dry-run alerts are not shown as live alerts")
                    .hasSize(1);
            String dryRun =
                    live.alerts(10, true).stream()
                            .filter(a -> a.contains("\"dryRun\":true"))
                            .findFirst()
                            .orElseThrow();
            await().atMost(Duration.ofSeconds(20))
                    .ignoreExceptions()
                    .untilAsserted(
                            () ->
                                    assertThat(incidentsOf(dryRun))
                                            .allSatisfy(
                                                    id ->
                                                            assertThat(
                                                                            Documents.parse(
                                                                                            live.incident(
                                                                                                            id)
                                                                                                    .orElseThrow())
                                                                                    .get("severity")
                                                                                    .asInt())
                                                                    .isLessThan(5)));
            // An absence rule: an automatic alarm nobody confirms fires once event time has moved
            // on.
            publishRule(producer, topics, "unconfirmed-alarm", UNCONFIRMED_ALARM);
            await().atMost(Duration.ofSeconds(20))
                    .until(() -> live.rules().toString().contains("unconfirmed-alarm"));
            String fire = topics.feed(FeedSpec.FIRE_ALARMS).name();
            KafkaTestClient.send(
                    producer,
                    new ProducerRecord<>(
                            fire,
                            TestRecords.avro(
                                    FeedSpec.FIRE_ALARMS,
                                    "{\"alarmId\":\"F-1\",\"receivedAt\":\"2018-12-08T12:00:00Z\",\"source\":\"AUTOMATIC_DETECTOR\",\"category\":\"ALARM\","
                                            + "\"alarmLevel\":1,\"location\":{\"lat\":37.79,\"lon\":-122.41}}")));
            KafkaTestClient.send(
                    producer,
                    new ProducerRecord<>(
                            medical,
                            TestRecords.avro(
                                    FeedSpec.MEDICAL_CALLS,
                                    medical("M-LATER", "2018-12-08T12:30:00Z", 37.70))));
            await().atMost(Duration.ofSeconds(30))
                    .untilAsserted(
                            () ->
                                    assertThat(live.alerts(10, false))
                                            .anySatisfy(
                                                    a ->
                                                            assertThat(a)
                                                                    .contains(
                                                                            "unconfirmed-alarm",
                                                                            "fire.alarms/F-1")));
            assertThat(job.getJobStatus().get().isTerminalState()).isFalse();
        } finally {
            job.cancel().get();
        }
    }

    static List<String> incidentsOf(String alert) {
        List<String> ids = new java.util.ArrayList<>();
        Documents.parse(alert).withArray("evidenceIncidentIds").forEach(id -> ids.add(id.asText()));
        return ids;
    }

    static void publishRule(
            KafkaProducer<byte[], byte[]> producer, Topics topics, String id, String json) {
        KafkaTestClient.send(
                producer,
                new ProducerRecord<>(
                        topics.rules().name(),
                        id.getBytes(StandardCharsets.UTF_8),
                        json.getBytes(StandardCharsets.UTF_8)));
    }
}
