package org.cityops.jobs;

import org.apache.avro.specific.SpecificRecord;
import org.cityops.jobs.ingest.DistrictIndex;
import org.cityops.jobs.ingest.Normaliser;
import org.cityops.schemas.Action;
import org.cityops.schemas.Category;
import org.cityops.schemas.CityLocation;
import org.cityops.schemas.city.CityEvent;
import org.cityops.schemas.contract.Decoded;
import org.cityops.schemas.contract.FeedDecoder;
import org.cityops.schemas.contract.FeedSpec;
import org.cityops.schemas.serde.AvroCodec;

/** Feed records for tests, written as contract JSON lines (the contract's own form). */
public final class TestRecords {

    private TestRecords() {}

    public static String policeCall(
            String id, String receivedAt, String category, int priority, String extra) {
        return "{\"callId\":\""
                + id
                + "\",\"receivedAt\":\""
                + receivedAt
                + "\",\"category\":\""
                + category
                + "\",\"priority\":"
                + priority
                + ",\"location\":{\"lat\":37.78398,\"lon\":-122.41176,\"address\":\"200 Block of EDDY ST\"}"
                + ",\"callerPhone\":\"415-555-0142\",\"callerName\":\"Ada Lovelace\""
                + extra
                + "}";
    }

    public static String medicalCall(String id, String receivedAt, int acuity) {
        return "{\"callId\":\""
                + id
                + "\",\"receivedAt\":\""
                + receivedAt
                + "\",\"complaint\":\"CARDIAC_ARREST\""
                + ",\"acuity\":"
                + acuity
                + ",\"location\":{\"lat\":37.7599,\"lon\":-122.4148},\"patientAge\":67}";
    }

    /** A normalised report placed exactly where and when a test needs it. */
    public static CityEvent report(
            String feedName,
            String id,
            Category category,
            double lat,
            double lon,
            String time,
            Action action) {
        FeedSpec<?> spec = FeedSpec.byName(feedName).orElseThrow();
        return CityEvent.newBuilder()
                .setEventId(feedName + "/" + id)
                .setFeed(spec.feed())
                .setSourceId(id)
                .setAction(action)
                .setDepartment(spec.department())
                .setCategory(category)
                .setOriginalCategory(category.name())
                .setSeverity(3)
                .setEventTime(java.time.Instant.parse(time))
                .setLocation(
                        CityLocation.newBuilder()
                                .setLat(lat)
                                .setLon(lon)
                                .setDistrict("Mission")
                                .build())
                .setFingerprint(id.hashCode())
                .build();
    }

    public static <T extends SpecificRecord> T record(FeedSpec<T> spec, String line) {
        Decoded<T> decoded = new FeedDecoder<>(spec).decodeJson(line);
        if (!(decoded instanceof Decoded.Accepted<T> accepted)) {
            throw new IllegalArgumentException("test record rejected: " + decoded);
        }
        return accepted.record();
    }

    public static <T extends SpecificRecord> byte[] avro(FeedSpec<T> spec, String line) {
        return AvroCodec.of(spec.recordClass()).encode(record(spec, line));
    }

    public static <T extends SpecificRecord> CityEvent event(FeedSpec<T> spec, String line) {
        Decoded.Accepted<T> accepted =
                (Decoded.Accepted<T>) new FeedDecoder<>(spec).decodeJson(line);
        return new Normaliser(DistrictIndex.sanFrancisco())
                .normalise(spec, accepted.record(), accepted.fingerprint());
    }
}
