package org.cityops.bench;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.cityops.schemas.serde.AvroCodec;
import org.cityops.schemas.topics.Topics;

/**
 * Sends the {@link LoadMix} to the feed topics at a target rate or flat out, calls at their own
 * rate among the readings, stamping each record with the wall clock as its event time. Remembers
 * when each call was sent, for the screen clients to measure feed-to-screen latency.
 */
final class Producer implements Runnable {

    private final KafkaProducer<byte[], byte[]> kafka;
    private final Topics topics;
    private final double rate; // records per second; <= 0: flat out
    private final double callsPerSecond;
    private long calls;
    private final long durationNanos;
    private final LoadMix mix = new LoadMix(42);
    final Map<Long, Long> callSentNanos = new ConcurrentHashMap<>();
    final AtomicLong sent = new AtomicLong();

    /** Records Kafka has (acks=all); the job can only process these. */
    final AtomicLong acked = new AtomicLong();

    final AtomicLong failed = new AtomicLong();
    final AtomicBoolean stop = new AtomicBoolean();

    Producer(
            String bootstrap,
            Topics topics,
            double rate,
            double callsPerSecond,
            long durationSeconds) {
        this.callsPerSecond = callsPerSecond;
        Properties props = new Properties();
        props.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        props.put(ProducerConfig.ACKS_CONFIG, "all");
        props.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, "true");
        props.put(ProducerConfig.LINGER_MS_CONFIG, "2");
        props.put(ProducerConfig.BATCH_SIZE_CONFIG, "131072");
        props.put(ProducerConfig.COMPRESSION_TYPE_CONFIG, "lz4");
        props.put(ProducerConfig.CLIENT_ID_CONFIG, "cityops-bench");
        this.kafka =
                new KafkaProducer<>(props, new ByteArraySerializer(), new ByteArraySerializer());
        this.topics = topics;
        this.rate = rate;
        this.durationNanos = durationSeconds * 1_000_000_000L;
    }

    @Override
    public void run() {
        long start = System.nanoTime();
        long count = 0;
        while (!stop.get()) {
            long elapsed = System.nanoTime() - start;
            if (elapsed >= durationNanos) {
                break;
            }
            long due = rate <= 0 ? Long.MAX_VALUE : (long) (rate * elapsed / 1e9);
            if (count >= due) {
                java.util.concurrent.locks.LockSupport.parkNanos(200_000); // pacing, not a sync
                continue;
            }
            long batchEnd = Math.min(due, count + 500);
            long callsDue = (long) (callsPerSecond * elapsed / 1e9);
            for (; count < batchEnd; count++) {
                boolean call = calls < callsDue;
                if (call) {
                    calls++;
                }
                send(mix.next(Instant.now(), call));
            }
        }
        kafka.flush();
        kafka.close();
    }

    @SuppressWarnings({"unchecked", "rawtypes"})
    private void send(LoadMix.Item item) {
        SpecificRecord record = item.record();
        byte[] value = ((AvroCodec) AvroCodec.of(record.getClass())).encode(record);
        if (item.seq() >= 0) {
            callSentNanos.put(item.seq(), System.nanoTime());
        }
        kafka.send(
                new ProducerRecord<>(
                        topics.feed(item.feed()).name(),
                        item.key().getBytes(StandardCharsets.UTF_8),
                        value),
                (metadata, error) -> {
                    if (error == null) {
                        acked.incrementAndGet();
                    } else {
                        failed.incrementAndGet();
                    }
                });
        sent.incrementAndGet();
    }
}
