package org.cityops.local;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.cityops.infra.EmbeddedKafka;
import org.cityops.schemas.topics.Topic;
import org.cityops.schemas.topics.TopicSetup;
import org.cityops.schemas.topics.Topics;
import org.cityops.testing.KafkaTestClient;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Records stamped with an old time survive the broker's retention check on every CityOps topic.
 * Before {@link Topics#configOf} set {@code LogAppendTime}, the job wrote each record with its
 * event time: a replayed 2018 day was deleted from {@code city.events} at the next retention check,
 * minutes after it was written (issue 8's TaskManager drill found it as "missing" events).
 */
class TopicRetentionITCase {

    private static final long IN_2018 = Instant.parse("2018-12-08T03:00:00Z").toEpochMilli();

    @Test
    void oldRecordsOutliveTheRetentionCheckOnEveryTopic(@TempDir Path dir) throws Exception {
        // a broker of its own: the retention check every half second instead of every 5 minutes
        try (EmbeddedKafka broker =
                        EmbeddedKafka.start(
                                dir,
                                0,
                                Map.of(
                                        "log.retention.check.interval.ms", "500",
                                        "log.initial.task.delay.ms", "0"));
                Admin admin =
                        Admin.create(Map.of("bootstrap.servers", broker.bootstrapServers()))) {
            String kafka = broker.bootstrapServers();
            Topics topics = Topics.withPrefix("ret.");
            // one topic left from an older build, on broker defaults: setup must correct it
            admin.createTopics(List.of(new NewTopic(topics.events().name(), 1, (short) 1)))
                    .all()
                    .get();
            TopicSetup.ensure(kafka, topics, 1, (short) 1);
            // the control: broker defaults, to know the retention check has run
            String control = "ret.control-on-broker-defaults";
            admin.createTopics(List.of(new NewTopic(control, 1, (short) 1))).all().get();

            try (KafkaProducer<byte[], byte[]> producer = KafkaTestClient.producer(kafka)) {
                for (Topic<?> topic : topics.all()) {
                    producer.send(oldRecord(topic.name()));
                }
                producer.send(oldRecord(control));
                producer.flush();
            }

            await().atMost(Duration.ofSeconds(60))
                    .pollInterval(Duration.ofMillis(250))
                    .untilAsserted(
                            () ->
                                    assertThat(logStart(admin, List.of(control)).get(control))
                                            .as("the retention check deleted the control's record")
                                            .isEqualTo(1L));

            List<String> names = topics.all().stream().map(Topic::name).toList();
            assertThat(logStart(admin, names))
                    .as("log start offset of every CityOps topic after the retention check")
                    .hasSize(names.size())
                    .allSatisfy((topic, start) -> assertThat(start).as(topic).isZero());
            for (String name : names) {
                assertThat(KafkaTestClient.readAll(kafka, name, (t, bytes) -> bytes))
                        .as(name)
                        .hasSize(1);
            }
        }
    }

    private static ProducerRecord<byte[], byte[]> oldRecord(String topic) {
        return new ProducerRecord<>(
                topic,
                0,
                IN_2018,
                "key".getBytes(StandardCharsets.UTF_8),
                "a record from a replayed day".getBytes(StandardCharsets.UTF_8));
    }

    private static Map<String, Long> logStart(Admin admin, List<String> names) throws Exception {
        Map<TopicPartition, OffsetSpec> request = new HashMap<>();
        names.forEach(n -> request.put(new TopicPartition(n, 0), OffsetSpec.earliest()));
        Map<String, Long> starts = new HashMap<>();
        admin.listOffsets(request)
                .all()
                .get()
                .forEach((partition, info) -> starts.put(partition.topic(), info.offset()));
        return starts;
    }
}
