package org.cityops.local;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.WebClient;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.cityops.replay.FeedCounts;
import org.cityops.replay.ReplayReport;
import org.cityops.replay.Replayer;
import org.cityops.replay.Speed;
import org.cityops.schemas.city.CityEvent;
import org.cityops.schemas.city.DeadLetter;
import org.cityops.schemas.contract.Decoded;
import org.cityops.schemas.contract.FeedDecoder;
import org.cityops.schemas.contract.FeedSpec;
import org.cityops.schemas.serde.AvroCodec;
import org.cityops.schemas.serde.AvroSerde;
import org.cityops.schemas.topics.Topics;
import org.cityops.testing.KafkaTestClient;
import org.cityops.testing.TestInfra;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Bad input across all five feeds, through the real job (MiniCluster with <b>no restarts
 * allowed</b>: any failure would end it): random bytes, truncated Avro, another feed's schema,
 * boundary and extreme values, huge strings, clock skew, repeated and reused ids — as Kafka records
 * and as JSON lines through the replayer. Then count: every record is accepted, rejected with a
 * reason or dropped as an exact repeat; the rejected ones are exactly the dead letters; every
 * accepted report is exactly one event; and the job is still running.
 */
@Timeout(value = 5, unit = TimeUnit.MINUTES)
class FeedFuzzITCase {

    private static final Path ROOT = Path.of(System.getProperty("cityops.root", ".."));
    private static LocalStack stack;
    private static Vertx vertx;
    private static String prefix;
    @TempDir static Path dir;

    @BeforeAll
    static void start() throws Exception {
        prefix = TestInfra.uniquePrefix("fuzz");
        stack =
                new LocalStack(
                                DemoDay.stack(
                                                dir,
                                                prefix,
                                                "a-fuzz-test-secret-of-at-least-32-bytes-long")
                                        .withRestartAttempts(0))
                        .start();
        vertx = Vertx.vertx();
    }

    @AfterAll
    static void stop() {
        if (vertx != null) {
            vertx.close();
        }
        if (stack != null) {
            stack.close();
        }
    }

    @Test
    void everyBadRecordIsDeadLetteredWithAReasonEveryGoodOneAcceptedOnceAndTheJobNeverFails()
            throws Exception {
        Random random = new Random(20181208L); // reproducible
        Topics topics = Topics.withPrefix(prefix);
        Map<String, Long> sent = new HashMap<>();
        try (KafkaProducer<byte[], byte[]> producer = KafkaTestClient.producer(stack.kafka())) {
            for (FeedSpec<?> spec : FeedSpec.all()) {
                String topic = topics.feed(spec).name();
                List<byte[]> records = fuzzAvro(spec, random);
                for (byte[] value : records) {
                    producer.send(new ProducerRecord<>(topic, null, value));
                }
                List<String> lines = fuzzJson(spec, random);
                for (String line : lines) {
                    ProducerRecord<byte[], byte[]> record =
                            new ProducerRecord<>(
                                    topic, null, line.getBytes(StandardCharsets.UTF_8));
                    record.headers()
                            .add(
                                    Topics.FORMAT_HEADER,
                                    Topics.FORMAT_JSON.getBytes(StandardCharsets.UTF_8));
                    producer.send(record);
                }
                sent.put(spec.name(), (long) records.size() + lines.size());
            }
            producer.flush();
        }

        // the same through ./cityops replay: a JSON-lines file of fuzzed lines per feed
        List<Path> files = new ArrayList<>();
        for (FeedSpec<?> spec : FeedSpec.all()) {
            Path file = dir.resolve(spec.name() + ".jsonl");
            List<String> lines = fuzzJson(spec, random);
            Files.write(file, lines);
            files.add(file);
        }
        ReplayReport report;
        try (Replayer replayer = new Replayer(stack.kafka(), topics)) {
            report = replayer.replay(files, null, Speed.MAX, null);
        }
        for (FeedCounts counts : report.feeds()) {
            sent.merge(counts.feed(), counts.lines(), Long::sum);
            assertThat(counts.accepted() + counts.rejected() + counts.duplicates())
                    .as("the replayer accounts for every line of " + counts.feed())
                    .isEqualTo(counts.lines());
        }

        WebClient http = WebClient.create(vertx);
        Map<String, JsonObject> health = new HashMap<>();
        await().atMost(Duration.ofSeconds(90))
                .pollInterval(Duration.ofSeconds(1))
                .untilAsserted(
                        () -> {
                            JsonArray feeds =
                                    http.getAbs(stack.apiUrl() + "/api/v1/feeds")
                                            .bearerTokenAuthentication(
                                                    stack.tokens().get("operator"))
                                            .send()
                                            .toCompletionStage()
                                            .toCompletableFuture()
                                            .get(5, TimeUnit.SECONDS)
                                            .bodyAsJsonArray();
                            for (Object o : feeds) {
                                JsonObject feed = (JsonObject) o;
                                health.put(feed.getString("feed"), feed);
                            }
                            for (FeedSpec<?> spec : FeedSpec.all()) {
                                JsonObject f = health.get(spec.name());
                                assertThat(
                                                f.getLong("accepted")
                                                        + f.getLong("rejected")
                                                        + f.getLong("duplicates"))
                                        .as(spec.name() + ": accepted + rejected + repeats = sent")
                                        .isEqualTo(sent.get(spec.name()));
                            }
                        });
        assertThat(stack.jobRunning())
                .as("no record stopped the job (no restarts allowed)")
                .isTrue();

        // rejected = dead letters, each with a reason; accepted reports = events, once each
        await().atMost(Duration.ofSeconds(30))
                .untilAsserted(
                        () -> {
                            List<DeadLetter> dead =
                                    KafkaTestClient.readAll(
                                            stack.kafka(),
                                            topics.deadLetters().name(),
                                            new AvroSerde<>(DeadLetter.class).deserializer());
                            List<CityEvent> events =
                                    KafkaTestClient.readAll(
                                            stack.kafka(),
                                            topics.events().name(),
                                            new AvroSerde<>(CityEvent.class).deserializer());
                            for (FeedSpec<?> spec : FeedSpec.all()) {
                                String topic = topics.feed(spec).name();
                                List<DeadLetter> mine =
                                        dead.stream()
                                                .filter(d -> d.getTopic().equals(topic))
                                                .toList();
                                assertThat((long) mine.size())
                                        .as(spec.name() + ": one dead letter per rejected record")
                                        .isEqualTo(health.get(spec.name()).getLong("rejected"));
                                assertThat(mine)
                                        .allSatisfy(d -> assertThat(d.getReason()).isNotBlank());
                                if (!spec.isSensorFeed()) {
                                    assertThat(
                                                    events.stream()
                                                            .filter(e -> e.getFeed() == spec.feed())
                                                            .count())
                                            .as(spec.name() + ": one event per accepted report")
                                            .isEqualTo(health.get(spec.name()).getLong("accepted"));
                                }
                            }
                        });
        StringBuilder table =
                new StringBuilder(
                        "| feed | sent | accepted | rejected (= dead letters) | exact repeats | lost |\n"
                                + "|---|---|---|---|---|---|\n");
        for (FeedSpec<?> spec : FeedSpec.all()) {
            JsonObject f = health.get(spec.name());
            long accounted =
                    f.getLong("accepted") + f.getLong("rejected") + f.getLong("duplicates");
            table.append(
                    String.format(
                            "| %s | %d | %d | %d | %d | %d |%n",
                            spec.name(),
                            sent.get(spec.name()),
                            f.getLong("accepted"),
                            f.getLong("rejected"),
                            f.getLong("duplicates"),
                            sent.get(spec.name()) - accounted));
        }
        Files.createDirectories(Path.of("target/fuzz-report"));
        Files.writeString(Path.of("target/fuzz-report/feeds.md"), table.toString());
        for (FeedSpec<?> spec : FeedSpec.all()) {
            JsonObject f = health.get(spec.name());
            assertThat(f.getLong("rejected")).as(spec.name() + " rejected something").isPositive();
            assertThat(f.getLong("accepted"))
                    .as(spec.name() + " accepted the valid ones")
                    .isPositive();
            assertThat(f.getLong("duplicates")).as(spec.name() + " saw exact repeats").isPositive();
        }
        assertThat(stack.jobRunning()).isTrue();
    }

    // ---- fuzz ---------------------------------------------------------------------------------

    /** Raw records: random bytes, truncated and wrong-schema Avro, valid ones and exact repeats. */
    private static List<byte[]> fuzzAvro(FeedSpec<?> spec, Random random) throws Exception {
        List<byte[]> out = new ArrayList<>();
        for (int i = 0; i < 100; i++) {
            byte[] noise = new byte[random.nextInt(600)];
            random.nextBytes(noise);
            out.add(noise);
        }
        List<byte[]> valid = validAvro(spec, 6);
        for (byte[] v : valid) {
            out.add(v);
            out.add(java.util.Arrays.copyOf(v, 1 + random.nextInt(v.length - 1))); // truncated
        }
        out.add(valid.get(0)); // an exact repeat (a producer retry)
        out.add(valid.get(0));
        for (FeedSpec<?> other : FeedSpec.all()) {
            if (!other.equals(spec)) {
                out.add(validAvro(other, 1).get(0)); // another feed's schema
            }
        }
        out.add(new byte[0]);
        return out;
    }

    /** JSON lines: valid ones, then each mutated — boundary, extreme, wrong-typed, huge, skewed. */
    private static List<String> fuzzJson(FeedSpec<?> spec, Random random) throws Exception {
        List<String> out = new ArrayList<>();
        List<String> valid = demoLines(spec, random.nextInt(10), 8); // fire.alarms has 20 lines
        out.addAll(valid);
        out.add(valid.get(1)); // repeat
        for (String line : valid) {
            JsonObject json = new JsonObject(line);
            out.add(mutate(json.copy(), random));
            out.add(mutate(json.copy(), random));
        }
        out.add("");
        out.add("{");
        out.add("null");
        out.add("[1,2,3]");
        out.add("{\"unknown\":true}");
        out.add("\u0000\u0001\u0002 not json at all \uD83D\uDE00");
        JsonObject huge = new JsonObject(valid.get(2));
        huge.put("description", "x".repeat(200_000)); // under Kafka's 1 MB record limit
        out.add(huge.encode());
        return out;
    }

    private static String mutate(JsonObject json, Random random) {
        List<String> fields = new ArrayList<>(json.fieldNames());
        String field = fields.get(random.nextInt(fields.size()));
        Object[] values = {
            null,
            "",
            " ",
            -1,
            0,
            Integer.MAX_VALUE,
            Long.MIN_VALUE,
            1e308,
            -0.0,
            "NaN",
            true,
            "9999-12-31T23:59:59Z",
            "1970-01-01T00:00:00Z",
            "2100-01-01T00:00:00-08:00",
            "not-a-time",
            "x".repeat(5_000),
            new JsonObject(),
            new JsonArray().add(1),
            "'; DROP TABLE incidents; --",
            "<script>alert(1)</script>"
        };
        switch (random.nextInt(4)) {
            case 0 -> json.remove(field);
            case 1 -> json.put(field, values[random.nextInt(values.length)]);
            case 2 -> {
                JsonObject location = json.getJsonObject("location");
                if (location != null) { // boundary coordinates
                    double[] lats = {90, -90, 90.000001, -91, 37.7749, 0};
                    double[] lons = {180, -180, 180.5, -122.4194, 0};
                    location.put("lat", lats[random.nextInt(lats.length)]);
                    location.put("lon", lons[random.nextInt(lons.length)]);
                } else {
                    json.put(field, values[random.nextInt(values.length)]);
                }
            }
            default -> { // an id reused with other content: an update, or refused
                json.put(field, values[random.nextInt(values.length)]);
            }
        }
        return json.encode();
    }

    private static List<byte[]> validAvro(FeedSpec<?> spec, int n) throws Exception {
        List<byte[]> out = new ArrayList<>();
        for (String line : demoLines(spec, 0, 200)) {
            Decoded<?> decoded = decoder(spec).decodeJson(line);
            if (decoded instanceof Decoded.Accepted<?> accepted) {
                out.add(encode(accepted.record()));
                if (out.size() == n) {
                    break;
                }
            }
        }
        assertThat(out).as("valid " + spec.name() + " records in the demo day").hasSize(n);
        return out;
    }

    @SuppressWarnings({"unchecked", "rawtypes"})
    private static byte[] encode(SpecificRecord record) {
        return ((AvroCodec) AvroCodec.of(record.getClass())).encode(record);
    }

    @SuppressWarnings({"unchecked", "rawtypes"})
    private static FeedDecoder<?> decoder(FeedSpec<?> spec) {
        return new FeedDecoder(spec);
    }

    /** {@code count} lines of the demo day's file of {@code spec}, from line {@code from}. */
    private static List<String> demoLines(FeedSpec<?> spec, int from, int count) throws Exception {
        return DemoDay.lines(spec.name(), from, from + count);
    }
}
