package org.cityops.replay;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.cityops.schemas.city.FeedbackCommand;
import org.cityops.schemas.contract.FeedSpec;
import org.cityops.schemas.feeds.PoliceCall;
import org.cityops.schemas.serde.AvroCodec;
import org.cityops.schemas.topics.Topics;
import org.cityops.testing.KafkaTestClient;
import org.cityops.testing.TestInfra;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** Replay into a real Kafka broker. */
@Timeout(value = 2, unit = TimeUnit.MINUTES)
class ReplayerITCase {

    static String call(String id, String time, int priority) {
        return "{\"callId\":\""
                + id
                + "\",\"receivedAt\":\""
                + time
                + "\",\"category\":\"THEFT\",\"priority\":"
                + priority
                + ",\"location\":{\"lat\":37.78,\"lon\":-122.41}}";
    }

    @Test
    void countsAcceptedRejectedAndDuplicateLinesAndSendsEveryLineInEventTimeOrder(@TempDir Path dir)
            throws Exception {
        Path first = dir.resolve("police.calls.jsonl");
        Path second = dir.resolve("more-police.jsonl");
        Files.write(
                first,
                List.of(
                        call("A", "2018-12-08T10:00:00Z", 3),
                        call("C", "2018-12-08T10:02:00Z", 3),
                        call("C", "2018-12-08T10:02:00Z", 3),
                        "{\"callId\":\"BAD\",\"priority\":9}",
                        ""));
        Files.write(
                second,
                List.of(
                        call("B", "2018-12-08T10:01:00Z", 2),
                        call("D", "2018-12-08T10:03:00Z", 7)));
        String prefix = TestInfra.uniquePrefix("replay");
        String kafka = TestInfra.kafkaBootstrapServers();
        String topic = Topics.withPrefix(prefix).feed(FeedSpec.POLICE_CALLS).name();
        KafkaTestClient.createTopics(kafka, List.of(topic), 1);

        ReplayReport report;
        try (Replayer replayer = new Replayer(kafka, Topics.withPrefix(prefix))) {
            report =
                    replayer.replay(
                            List.of(first, second),
                            FeedSpec.POLICE_CALLS,
                            Speed.parse("max"),
                            null);
        }

        FeedCounts police = report.feeds().iterator().next();
        assertThat(police.lines()).isEqualTo(6);
        assertThat(police.accepted()).isEqualTo(3);
        assertThat(police.duplicates()).isEqualTo(1);
        assertThat(police.rejected()).isEqualTo(2);
        assertThat(police.firstRejections())
                .anySatisfy(r -> assertThat(r).contains("police.calls.jsonl:4", "receivedAt"));
        assertThat(report.table()).contains("police.calls", "total");

        List<String> sent = new ArrayList<>();
        for (ConsumerRecord<byte[], byte[]> record : readAll(kafka, topic, 6)) {
            if (record.headers().lastHeader(Topics.FORMAT_HEADER) != null) {
                sent.add(
                        "json:"
                                + new String(record.value(), StandardCharsets.UTF_8)
                                        .substring(0, 12));
            } else {
                sent.add(
                        "avro:"
                                + AvroCodec.of(PoliceCall.class)
                                        .decode(record.value())
                                        .getCallId());
            }
        }
        // Valid lines are merged by event time; an invalid line has none and keeps the time of the
        // line before it in its file (D follows B; BAD follows the two Cs).
        assertThat(sent)
                .containsExactly(
                        "avro:A",
                        "avro:B",
                        "json:{\"callId\":\"D",
                        "avro:C",
                        "avro:C",
                        "json:{\"callId\":\"B");
    }

    @Test
    void unitStatusesGoToTheFeedbackTopicKeyedByTheirReportAndABadOneIsRefusedWithItsReason(
            @TempDir Path dir) throws Exception {
        Path calls = dir.resolve("police.calls.jsonl");
        Files.write(calls, List.of(call("A", "2018-12-08T10:00:00Z", 1)));
        Path statuses = dir.resolve("dispatch.feedback.jsonl");
        String onScene =
                "{\"commandId\":\"A/ON_SCENE\",\"kind\":\"ON_SCENE\",\"incidentId\":\"\","
                        + "\"reportFeed\":\"police.calls\",\"reportId\":\"A\",\"unit\":\"3A12\","
                        + "\"department\":\"police\",\"actor\":\"sfpd-cad\",\"actorRole\":\"department-system\","
                        + "\"at\":\"2018-12-08T10:06:00Z\"}";
        Files.write(statuses, List.of(onScene, onScene.replace("\"ON_SCENE\"", "\"MERGE\"")));
        String prefix = TestInfra.uniquePrefix("replay-feedback");
        String kafka = TestInfra.kafkaBootstrapServers();
        Topics topics = Topics.withPrefix(prefix);
        KafkaTestClient.createTopics(
                kafka,
                List.of(topics.feed(FeedSpec.POLICE_CALLS).name(), topics.feedback().name()),
                1);

        ReplayReport report;
        try (Replayer replayer = new Replayer(kafka, topics)) {
            report = replayer.replay(List.of(statuses, calls), null, Speed.MAX, null);
        }

        FeedCounts feedback =
                report.feeds().stream()
                        .filter(f -> f.feed().equals("dispatch.feedback"))
                        .findFirst()
                        .orElseThrow();
        assertThat(feedback.accepted()).isEqualTo(1);
        assertThat(feedback.rejected()).isEqualTo(1);
        assertThat(feedback.firstRejections())
                .singleElement()
                .asString()
                .contains("dispatch.feedback.jsonl:2", "kind", "MERGE");
        List<ConsumerRecord<byte[], byte[]>> sent = readAll(kafka, topics.feedback().name(), 1);
        assertThat(sent).hasSize(1);
        assertThat(endOffset(kafka, topics.feedback().name()))
                .as("the refused line was not sent")
                .isEqualTo(1);
        assertThat(new String(sent.get(0).key(), StandardCharsets.UTF_8))
                .isEqualTo("police.calls/A");
        FeedbackCommand command = AvroCodec.of(FeedbackCommand.class).decode(sent.get(0).value());
        assertThat(command.getUnit()).isEqualTo("3A12");
        assertThat(command.getReportId()).isEqualTo("A");
    }

    @Test
    void speedIsParsedStrictly() {
        assertThat(Speed.parse("realtime").factor()).isEqualTo(1.0);
        assertThat(Speed.parse("60").factor()).isEqualTo(60.0);
        assertThat(Speed.parse("max").isMax()).isTrue();
        for (String bad : List.of("0", "-2", "fast", "NaN")) {
            org.assertj.core.api.Assertions.assertThatThrownBy(() -> Speed.parse(bad))
                    .hasMessageContaining("--speed");
        }
    }

    private static long endOffset(String kafka, String topic) {
        Properties props = new Properties();
        props.put("bootstrap.servers", kafka);
        try (KafkaConsumer<byte[], byte[]> consumer =
                new KafkaConsumer<>(
                        props, new ByteArrayDeserializer(), new ByteArrayDeserializer())) {
            var partition = new org.apache.kafka.common.TopicPartition(topic, 0);
            return consumer.endOffsets(List.of(partition)).get(partition);
        }
    }

    private static List<ConsumerRecord<byte[], byte[]>> readAll(
            String kafka, String topic, int expected) {
        Properties props = new Properties();
        props.put("bootstrap.servers", kafka);
        props.put("group.id", "replay-test-" + UUID.randomUUID());
        props.put("auto.offset.reset", "earliest");
        List<ConsumerRecord<byte[], byte[]>> records = new ArrayList<>();
        try (KafkaConsumer<byte[], byte[]> consumer =
                new KafkaConsumer<>(
                        props, new ByteArrayDeserializer(), new ByteArrayDeserializer())) {
            consumer.subscribe(List.of(topic));
            long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
            while (records.size() < expected && System.nanoTime() < deadline) {
                consumer.poll(Duration.ofMillis(200)).forEach(records::add);
            }
        }
        return records;
    }
}
