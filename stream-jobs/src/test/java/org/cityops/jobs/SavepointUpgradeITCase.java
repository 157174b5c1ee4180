package org.cityops.jobs;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.apache.flink.api.common.JobStatus;
import org.apache.flink.core.execution.SavepointFormatType;
import org.apache.flink.runtime.testutils.MiniClusterResourceConfiguration;
import org.apache.flink.streaming.api.functions.sink.v2.DiscardingSink;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.cityops.livestate.ChangelogAudit;
import org.cityops.livestate.Documents;
import org.cityops.livestate.LiveView;
import org.cityops.livestate.LiveViews;
import org.cityops.schemas.contract.FeedSpec;
import org.cityops.testing.KafkaTestClient;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * An upgrade: the running job stops with a savepoint, and a changed build — one more operator,
 * parallelism 2 → 1 (keyed state redistributed), a different checkpoint interval — starts from it.
 * Its state is intact: a report after the upgrade fuses into the incident opened before it (fusion
 * and incident state), a report seen before the upgrade is still recognised as a repeat (duplicate
 * detection), and the feed's counters go on from where they were (feed health). Flink refuses the
 * start if any state in the savepoint finds no operator (stable uids).
 */
@Timeout(value = 5, unit = TimeUnit.MINUTES)
class SavepointUpgradeITCase {

    @RegisterExtension
    static final MiniClusterExtension FLINK =
            new MiniClusterExtension(
                    new MiniClusterResourceConfiguration.Builder()
                            .setNumberTaskManagers(1)
                            .setNumberSlotsPerTaskManager(2)
                            .build());

    @TempDir Path savepoints;

    @Test
    void aChangedBuildStartsFromTheSavepointWithItsStateIntact() throws Exception {
        Map<String, String> quick =
                Map.of(
                        "feed-health-interval-ms", "100",
                        "out-of-orderness-s", "1",
                        "idleness-s", "1");
        JobUnderTest before = JobUnderTest.start("upgrade", quick);
        JobUnderTest after = null;
        String police = before.topics.feed(FeedSpec.POLICE_CALLS).name();
        String first = TestRecords.policeCall("U-1", "2018-12-01T23:34:00Z", "ROBBERY", 2, "");
        try (KafkaProducer<byte[], byte[]> producer = KafkaTestClient.producer(before.kafka);
                LiveView live = LiveViews.open(before.config.liveView())) {
            send(producer, police, first);
            await().atMost(Duration.ofSeconds(60))
                    .untilAsserted(() -> assertThat(live.incident("INC-POL-U-1")).isPresent());
            await().atMost(Duration.ofSeconds(30))
                    .untilAsserted(() -> assertThat(police(live)).isEqualTo("1/0/0"));

            String savepoint =
                    before.job
                            .stopWithSavepoint(
                                    false,
                                    savepoints.toUri().toString(),
                                    SavepointFormatType.CANONICAL)
                            .get(60, TimeUnit.SECONDS);
            assertThat(before.job.getJobStatus().get()).isEqualTo(JobStatus.FINISHED);

            after =
                    before.upgrade(
                            savepoint,
                            Map.of("parallelism", "1", "checkpoint-interval-ms", "700"),
                            env ->
                                    env.fromData(1)
                                            .uid("upgrade-added-operator")
                                            .name("an operator the new build added")
                                            .sinkTo(new DiscardingSink<>())
                                            .uid("upgrade-added-sink")
                                            .name("its sink"));
            assertThat(after.job.getJobStatus().get(30, TimeUnit.SECONDS))
                    .isNotEqualTo(JobStatus.FAILED);

            // the same robbery reported again by a second caller, and the first report repeated
            send(
                    producer,
                    police,
                    TestRecords.policeCall("U-2", "2018-12-01T23:36:00Z", "ROBBERY", 2, ""));
            send(producer, police, first);

            await().atMost(Duration.ofSeconds(60))
                    .untilAsserted(
                            () -> {
                                JsonNode incident =
                                        Documents.parse(live.incident("INC-POL-U-1").orElseThrow());
                                assertThat(incident.path("version").asLong()).isEqualTo(2);
                                assertThat(incident.path("reports").size())
                                        .as("the second call fused into the incident of the first")
                                        .isEqualTo(2);
                                assertThat(live.incident("INC-POL-U-2"))
                                        .as("no new incident for the second call")
                                        .isEmpty();
                                assertThat(police(live))
                                        .as("accepted/rejected/duplicates go on, the repeat known")
                                        .isEqualTo("2/0/1");
                            });
            JobUnderTest upgraded = after;
            await().atMost(Duration.ofSeconds(60))
                    .untilAsserted(
                            () -> {
                                ChangelogAudit.Result audit =
                                        ChangelogAudit.run(upgraded.kafka, upgraded.topics, live);
                                assertThat(audit.events()).isEqualTo(2);
                                assertThat(audit.clean()).as(audit.toString()).isTrue();
                            });
            assertThat(after.job.getJobStatus().get()).isEqualTo(JobStatus.RUNNING);
        } finally {
            if (after != null) {
                after.close();
            } else if (!before.job.getJobStatus().get().isGloballyTerminalState()) {
                before.close();
            }
        }
    }

    private static String police(LiveView live) {
        return live.feedHealth().stream()
                .map(Documents::parse)
                .filter(d -> d.path("feed").asText().equals("police.calls"))
                .map(
                        d ->
                                d.path("accepted").asLong()
                                        + "/"
                                        + d.path("rejected").asLong()
                                        + "/"
                                        + d.path("duplicates").asLong())
                .findFirst()
                .orElse("none");
    }

    private static void send(KafkaProducer<byte[], byte[]> producer, String topic, String line) {
        KafkaTestClient.send(
                producer,
                new ProducerRecord<>(topic, TestRecords.avro(FeedSpec.POLICE_CALLS, line)));
    }
}
