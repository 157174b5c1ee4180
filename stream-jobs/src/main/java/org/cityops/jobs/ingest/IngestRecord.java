package org.cityops.jobs.ingest;

import org.cityops.schemas.city.CityEvent;
import org.cityops.schemas.city.DeadLetter;
import org.cityops.schemas.city.PublicWarning;
import org.cityops.schemas.feeds.TrafficReading;

/**
 * One feed record after decoding: exactly one of {@code event} (an accepted report), {@code
 * reading} (an accepted sensor reading), {@code warning} (an accepted CAP message) or {@code
 * deadLetter} (rejected) is set. A Flink POJO whose Avro fields get Avro serializers, never Kryo.
 */
public class IngestRecord {

    /** Contract name of the feed, e.g. {@code police.calls}. */
    public String feed;

    public CityEvent event;
    public TrafficReading reading;
    public PublicWarning warning;
    public DeadLetter deadLetter;

    /** Key for duplicate detection: the event id, or the segment for readings. */
    public String dedupKey;

    public long fingerprint;

    /** Kafka timestamp of the record: when CityOps received it. */
    public long receivedAt;

    public IngestRecord() {}

    public static IngestRecord accepted(String feed, CityEvent event, long receivedAt) {
        IngestRecord r = new IngestRecord();
        r.feed = feed;
        r.event = event;
        r.dedupKey = event.getEventId();
        r.fingerprint = event.getFingerprint();
        r.receivedAt = receivedAt;
        return r;
    }

    public static IngestRecord reading(
            String feed, TrafficReading reading, long fingerprint, long receivedAt) {
        IngestRecord r = new IngestRecord();
        r.feed = feed;
        r.reading = reading;
        r.dedupKey = feed + "/" + reading.getSegmentId();
        r.fingerprint = fingerprint;
        r.receivedAt = receivedAt;
        return r;
    }

    /** A CAP message: a repeat is the same message (sender/identifier) with the same bytes. */
    public static IngestRecord warning(
            String feed, PublicWarning warning, long fingerprint, long receivedAt) {
        IngestRecord r = new IngestRecord();
        r.feed = feed;
        r.warning = warning;
        r.dedupKey = feed + "/" + warning.getSender() + "/" + warning.getIdentifier();
        r.fingerprint = fingerprint;
        r.receivedAt = receivedAt;
        return r;
    }

    public static IngestRecord rejected(String feed, DeadLetter deadLetter, long receivedAt) {
        IngestRecord r = new IngestRecord();
        r.feed = feed;
        r.deadLetter = deadLetter;
        r.receivedAt = receivedAt;
        return r;
    }

    public boolean isAccepted() {
        return deadLetter == null;
    }

    /** Event time: when the report was received or the reading observed. */
    public long eventTimeMillis() {
        if (event != null) {
            return event.getEventTime().toEpochMilli();
        }
        if (reading != null) {
            return reading.getObservedAt().toEpochMilli();
        }
        if (warning != null) {
            return warning.getSent().toEpochMilli();
        }
        return receivedAt;
    }
}
