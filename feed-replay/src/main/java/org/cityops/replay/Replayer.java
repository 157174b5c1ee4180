package org.cityops.replay;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.PriorityQueue;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;
import java.util.zip.GZIPInputStream;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.cityops.schemas.cap.CapAlert;
import org.cityops.schemas.cap.CapMessages;
import org.cityops.schemas.city.FeedbackCommand;
import org.cityops.schemas.contract.Decoded;
import org.cityops.schemas.contract.FeedDecoder;
import org.cityops.schemas.contract.FeedSpec;
import org.cityops.schemas.feedback.FeedbackLines;
import org.cityops.schemas.serde.AvroCodec;
import org.cityops.schemas.topics.Topics;

/**
 * Replays contract JSON-lines files into the feed topics, merged across files in event-time order
 * and paced by {@link Speed}. Each line is checked with the same decoder the job uses: a valid line
 * goes out as Avro; an invalid one goes out as the original line, marked as JSON, so the job
 * dead-letters it with its reason and counts it — nothing is dropped. Exact repeats of a line are
 * counted as duplicates here and still sent: the job must (and does) drop them.
 */
public final class Replayer implements AutoCloseable {

    /**
     * Files are named after their feed: {@code police.calls.jsonl} or {@code
     * police.calls.jsonl.gz}.
     */
    public static FeedSpec<?> feedOfFile(Path file) {
        String name = file.getFileName().toString();
        if (isFeedbackFile(file)) {
            return null;
        }
        String base = name.replaceFirst("\\.jsonl(\\.gz)?$", "");
        return FeedSpec.byName(base)
                .orElseThrow(
                        () ->
                                new IllegalArgumentException(
                                        file
                                                + ": cannot tell the feed from the file name; name it <feed>.jsonl (or dispatch.feedback.jsonl) or pass --feed"));
    }

    /**
     * {@code dispatch.feedback.jsonl}: unit statuses from departments' own dispatch systems ({@link
     * FeedbackLines}), replayed into {@code dispatch.feedback} in event-time order with the feeds.
     */
    public static boolean isFeedbackFile(Path file) {
        return file.getFileName()
                .toString()
                .replaceFirst("\\.jsonl(\\.gz)?$", "")
                .equals(FeedbackLines.FILE_FEED);
    }

    private final KafkaProducer<byte[], byte[]> producer;
    private final Topics topics;
    private final AtomicBoolean stopped = new AtomicBoolean();

    public Replayer(String bootstrapServers, Topics topics) {
        Properties props = new Properties();
        props.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        props.put(ProducerConfig.ACKS_CONFIG, "all");
        props.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, "true");
        props.put(ProducerConfig.LINGER_MS_CONFIG, "5");
        props.put(ProducerConfig.CLIENT_ID_CONFIG, "cityops-replay");
        this.producer =
                new KafkaProducer<>(props, new ByteArraySerializer(), new ByteArraySerializer());
        this.topics = topics;
    }

    /** Asks a running replay to stop after its current line. */
    public void stop() {
        stopped.set(true);
    }

    public ReplayReport replay(
            List<Path> files,
            FeedSpec<?> feedOverride,
            Speed speed,
            Consumer<ReplayReport> progress) {
        return replay(files, feedOverride, speed, progress, null);
    }

    /** As above, moving {@code cityClock} (if any) to each record's event time as it is sent. */
    public ReplayReport replay(
            List<Path> files,
            FeedSpec<?> feedOverride,
            Speed speed,
            Consumer<ReplayReport> progress,
            ReplayClock cityClock) {
        ReplayReport report = new ReplayReport();
        PriorityQueue<LineSource> queue =
                new PriorityQueue<>(Comparator.comparingLong(LineSource::nextTime));
        List<LineSource> sources = new ArrayList<>();
        // CAP 1.2 messages (*.xml): one message per file, sent in order of their sent time
        // between the lines; one that is not valid CAP is still sent, for the job to dead-letter.
        PriorityQueue<CapFile> capFiles =
                new PriorityQueue<>(Comparator.comparingLong(CapFile::time));
        for (Path file : files) {
            if (isCapFile(file)) {
                capFiles.add(CapFile.read(file));
            }
        }
        files = files.stream().filter(f -> !isCapFile(f)).toList();
        try {
            for (Path file : files) {
                LineSource source =
                        new LineSource(
                                file,
                                feedOverride != null && !isFeedbackFile(file)
                                        ? feedOverride
                                        : feedOfFile(file));
                sources.add(source);
                if (source.advance()) {
                    queue.add(source);
                }
            }
            Set<String> seen = new HashSet<>();
            long firstEventTime = Long.MIN_VALUE;
            long startNanos = System.nanoTime();
            long lastProgress = System.nanoTime();
            while (!queue.isEmpty() && !stopped.get()) {
                LineSource source = queue.poll();
                if (!speed.isMax() && source.nextTime() != Long.MIN_VALUE) {
                    if (firstEventTime == Long.MIN_VALUE) {
                        firstEventTime = source.nextTime();
                    }
                    pace(startNanos, (source.nextTime() - firstEventTime) / speed.factor());
                }
                if (cityClock != null && source.nextTime() != Long.MIN_VALUE) {
                    cityClock.advance(source.nextTime());
                }
                while (!capFiles.isEmpty() && capFiles.peek().time() <= source.nextTime()) {
                    sendCap(capFiles.poll(), report.feed(CAP_FEED));
                }
                if (source.spec == null) {
                    sendFeedback(source, report.feed(FeedbackLines.FILE_FEED), seen);
                } else {
                    send(source, report.feed(source.spec.name()), seen);
                }
                if (source.advance()) {
                    queue.add(source);
                }
                if (progress != null && System.nanoTime() - lastProgress > 1_000_000_000L) {
                    lastProgress = System.nanoTime();
                    progress.accept(report);
                }
            }
            while (!capFiles.isEmpty() && !stopped.get()) {
                sendCap(capFiles.poll(), report.feed(CAP_FEED));
            }
            producer.flush();
        } finally {
            sources.forEach(LineSource::close);
        }
        return report;
    }

    private void pace(long startNanos, double offsetMillis) {
        long due = startNanos + (long) (offsetMillis * 1_000_000);
        long wait = due - System.nanoTime();
        if (wait > 0) {
            try {
                Thread.sleep(
                        wait / 1_000_000, (int) (wait % 1_000_000)); // pacing replay to event time
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                stopped.set(true);
            }
        }
    }

    /** The name CAP messages are counted under (the topic's name without a prefix). */
    public static final String CAP_FEED = "cap.alerts";

    /** {@code *.xml}: a CAP 1.2 message for {@code cap.alerts}. */
    public static boolean isCapFile(Path file) {
        return file.getFileName().toString().endsWith(".xml");
    }

    /** One CAP file: its bytes, unchanged, its key and its sent time (-inf when unreadable). */
    private record CapFile(Path file, byte[] xml, String key, long time, String problem) {
        static CapFile read(Path file) {
            byte[] xml;
            try {
                xml = Files.readAllBytes(file);
            } catch (IOException e) {
                throw new UncheckedIOException("cannot read " + file, e);
            }
            try {
                CapAlert alert = CapMessages.parse(xml);
                return new CapFile(
                        file,
                        xml,
                        alert.sender() + "/" + alert.identifier(),
                        alert.sent().toInstant().toEpochMilli(),
                        null);
            } catch (CapMessages.CapInvalid e) {
                return new CapFile(file, xml, null, Long.MIN_VALUE, e.getMessage());
            }
        }
    }

    private void sendCap(CapFile cap, FeedCounts counts) {
        if (cap.problem() == null) {
            counts.countAccepted();
        } else {
            counts.countRejected(cap.file().getFileName().toString(), cap.problem());
        }
        producer.send(
                new ProducerRecord<>(
                        topics.capAlerts().name(),
                        cap.key() == null ? null : cap.key().getBytes(StandardCharsets.UTF_8),
                        cap.xml()));
    }

    private void send(LineSource source, FeedCounts counts, Set<String> seen) {
        String topic = topics.feed(source.spec).name();
        Decoded<?> decoded = source.decoded;
        if (decoded instanceof Decoded.Accepted<?> accepted) {
            SpecificRecord record = accepted.record();
            String id = source.spec.idOf(record);
            if (seen.add(source.spec.name() + '\u0000' + id + '\u0000' + accepted.fingerprint())) {
                counts.countAccepted();
            } else {
                counts.countDuplicate();
            }
            producer.send(
                    new ProducerRecord<>(
                            topic, id.getBytes(StandardCharsets.UTF_8), encode(record)));
        } else {
            var violation = ((Decoded.Rejected<?>) decoded).violation();
            counts.countRejected(
                    source.file.getFileName() + ":" + source.lineNumber, violation.message());
            ProducerRecord<byte[], byte[]> raw =
                    new ProducerRecord<>(topic, null, source.line.getBytes(StandardCharsets.UTF_8));
            raw.headers()
                    .add(Topics.FORMAT_HEADER, Topics.FORMAT_JSON.getBytes(StandardCharsets.UTF_8));
            producer.send(raw);
        }
    }

    /**
     * A unit status goes to {@code dispatch.feedback} keyed by its report. A line that is not a
     * valid unit status is refused here with its reason (counted and listed in the report), as the
     * dispatch API refuses a bad request: commands have no dead-letter topic, and nothing
     * half-formed may act on an incident.
     */
    private void sendFeedback(LineSource source, FeedCounts counts, Set<String> seen) {
        FeedbackLines.Parsed parsed = source.feedback;
        if (parsed.violation() != null) {
            counts.countRejected(
                    source.file.getFileName() + ":" + source.lineNumber,
                    parsed.violation().message());
            return;
        }
        FeedbackCommand command = parsed.command();
        if (seen.add(FeedbackLines.FILE_FEED + '\u0000' + command.getCommandId())) {
            counts.countAccepted();
        } else {
            counts.countDuplicate(); // sent anyway: the job ignores a repeated command id
        }
        producer.send(
                new ProducerRecord<>(
                        topics.feedback().name(),
                        FeedbackLines.key(command).getBytes(StandardCharsets.UTF_8),
                        encode(command)));
    }

    @SuppressWarnings({"unchecked", "rawtypes"})
    private static byte[] encode(SpecificRecord record) {
        return ((AvroCodec) AvroCodec.of(record.getClass())).encode(record);
    }

    @Override
    public void close() {
        producer.close();
    }

    /**
     * One file, read a line ahead so the merge knows its next event time; {@code spec} is null for
     * a unit-status file.
     */
    private static final class LineSource {
        private final Path file;
        private final FeedSpec<?> spec;
        private final FeedDecoder<?> decoder;
        private FeedbackLines.Parsed feedback;
        private final BufferedReader reader;
        private String line;
        private Decoded<?> decoded;
        private long lineNumber;
        private long time = Long.MIN_VALUE;

        LineSource(Path file, FeedSpec<?> spec) {
            this.file = file;
            this.spec = spec;
            this.decoder = spec == null ? null : new FeedDecoder<>(spec);
            try {
                InputStream in = Files.newInputStream(file);
                if (file.getFileName().toString().endsWith(".gz")) {
                    in = new GZIPInputStream(in, 1 << 16);
                }
                this.reader =
                        new BufferedReader(
                                new InputStreamReader(in, StandardCharsets.UTF_8), 1 << 16);
            } catch (IOException e) {
                throw new UncheckedIOException("cannot read " + file, e);
            }
        }

        /** Reads the next non-blank line; false at the end of the file. */
        boolean advance() {
            try {
                do {
                    line = reader.readLine();
                    lineNumber++;
                } while (line != null && line.isBlank());
            } catch (IOException e) {
                throw new UncheckedIOException("cannot read " + file, e);
            }
            if (line == null) {
                return false;
            }
            if (spec == null) {
                feedback = FeedbackLines.parse(line);
                if (feedback.command() != null) {
                    time = feedback.command().getAt().toEpochMilli();
                }
                return true;
            }
            decoded = decoder.decodeJson(line);
            if (decoded instanceof Decoded.Accepted<?> accepted) {
                // A rejected line keeps the time of the line before it, so it is sent in file
                // order.
                Object t = accepted.record().get(spec.schema().getField(spec.timeField()).pos());
                time = ((java.time.Instant) t).toEpochMilli();
            }
            return true;
        }

        long nextTime() {
            return time;
        }

        void close() {
            try {
                reader.close();
            } catch (IOException ignored) {
                // closing a file we only read
            }
        }
    }
}
