package org.cityops.schemas.contract;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.stream.Stream;
import org.apache.avro.specific.SpecificRecord;
import org.cityops.schemas.Action;
import org.cityops.schemas.feeds.MedicalCall;
import org.cityops.schemas.feeds.PoliceCall;
import org.cityops.schemas.serde.AvroCodec;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class FeedDecoderTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    static final String POLICE =
            "{\"callId\":\"P-1\",\"receivedAt\":\"2018-12-01T00:25:00-08:00\",\"category\":\"ROBBERY\","
                    + "\"priority\":2,\"location\":{\"lat\":37.7335,\"lon\":-122.4341,\"address\":\"BOSWORTH ST\"},"
                    + "\"callerPhone\":\"415-555-0100\",\"extraField\":\"ignored\"}";
    static final String FIRE =
            "{\"alarmId\":\"F-1\",\"receivedAt\":\"2018-12-01T23:34:00Z\",\"source\":\"AUTOMATIC_DETECTOR\","
                    + "\"category\":\"ALARM\",\"alarmLevel\":1,\"location\":{\"lat\":37.78,\"lon\":-122.41}}";
    static final String MEDICAL =
            "{\"callId\":\"M-1\",\"receivedAt\":\"2018-12-01T23:34:00Z\",\"complaint\":\"CARDIAC_ARREST\","
                    + "\"acuity\":1,\"location\":{\"lat\":37.78,\"lon\":-122.41},\"patientAge\":67}";
    static final String TRAFFIC =
            "{\"reportId\":\"T-1\",\"detectedAt\":\"2018-12-01T08:00:00Z\",\"type\":\"COLLISION\","
                    + "\"severity\":3,\"location\":{\"lat\":37.78,\"lon\":-122.41},\"lanesBlocked\":1,\"source\":\"CAMERA\"}";
    static final String READING =
            "{\"segmentId\":\"S-1\",\"observedAt\":\"2018-12-01T08:00:00Z\",\"speedKmh\":22.5,"
                    + "\"freeFlowKmh\":50,\"location\":{\"lat\":37.78,\"lon\":-122.41}}";

    static Stream<Arguments> validLines() {
        return Stream.of(
                Arguments.of(FeedSpec.POLICE_CALLS, POLICE),
                Arguments.of(FeedSpec.FIRE_ALARMS, FIRE),
                Arguments.of(FeedSpec.MEDICAL_CALLS, MEDICAL),
                Arguments.of(FeedSpec.TRAFFIC_INCIDENTS, TRAFFIC),
                Arguments.of(FeedSpec.TRAFFIC_READINGS, READING));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("validLines")
    <T extends SpecificRecord>
            void aValidLineIsAcceptedAndItsAvroFormAcceptedWithTheSameFingerprint(
                    FeedSpec<T> spec, String line) {
        FeedDecoder<T> decoder = new FeedDecoder<>(spec);

        Decoded<T> fromJson = decoder.decodeJson(line);
        assertThat(fromJson).isInstanceOf(Decoded.Accepted.class);
        T record = ((Decoded.Accepted<T>) fromJson).record();
        Decoded<T> fromAvro = decoder.decodeAvro(AvroCodec.of(spec.recordClass()).encode(record));

        assertThat(fromAvro).isEqualTo(fromJson);
        // and the natural JSON written back parses to the same record
        assertThat(decoder.decodeJson(JsonLineCodec.toJsonLine(record))).isEqualTo(fromJson);
    }

    @Test
    void absentActionMeansNewSoBothFormsAreTheSameContent() {
        FeedDecoder<PoliceCall> decoder = new FeedDecoder<>(FeedSpec.POLICE_CALLS);
        var implicit = (Decoded.Accepted<PoliceCall>) decoder.decodeJson(POLICE);
        var explicit =
                (Decoded.Accepted<PoliceCall>)
                        decoder.decodeJson(with(POLICE, "action", "\"NEW\""));

        assertThat(implicit.record().getAction()).isEqualTo(Action.NEW);
        assertThat(implicit.fingerprint()).isEqualTo(explicit.fingerprint());
        assertThat(decoder.decodeJson(with(POLICE, "action", "\"UPDATE\"")))
                .extracting(d -> ((Decoded.Accepted<?>) d).fingerprint())
                .isNotEqualTo(implicit.fingerprint());
    }

    @Test
    void patientCountDefaultsToOne() {
        var decoded =
                (Decoded.Accepted<MedicalCall>)
                        new FeedDecoder<>(FeedSpec.MEDICAL_CALLS).decodeJson(MEDICAL);
        assertThat(decoded.record().getPatientCount()).isEqualTo(1);
    }

    /**
     * Bad values both wire forms can carry: each must be rejected by both, naming the same field.
     */
    static Stream<Arguments> badValues() {
        return Stream.of(
                Arguments.of(FeedSpec.POLICE_CALLS, with(POLICE, "priority", "7"), "priority"),
                Arguments.of(FeedSpec.POLICE_CALLS, with(POLICE, "callId", "\"  \""), "callId"),
                Arguments.of(
                        FeedSpec.POLICE_CALLS, with(POLICE, "action", "\"UNKNOWN\""), "action"),
                Arguments.of(
                        FeedSpec.POLICE_CALLS,
                        with(POLICE, "location", "{\"lat\":91,\"lon\":0}"),
                        "location.lat"),
                Arguments.of(
                        FeedSpec.POLICE_CALLS,
                        with(POLICE, "receivedAt", "\"1970-01-18T12:00:00Z\""),
                        "receivedAt"),
                Arguments.of(FeedSpec.FIRE_ALARMS, with(FIRE, "alarmLevel", "0"), "alarmLevel"),
                Arguments.of(FeedSpec.FIRE_ALARMS, with(FIRE, "source", "\"UNKNOWN\""), "source"),
                Arguments.of(
                        FeedSpec.MEDICAL_CALLS, with(MEDICAL, "patientAge", "131"), "patientAge"),
                Arguments.of(
                        FeedSpec.MEDICAL_CALLS, with(MEDICAL, "patientCount", "0"), "patientCount"),
                Arguments.of(FeedSpec.MEDICAL_CALLS, with(MEDICAL, "acuity", "5"), "acuity"),
                Arguments.of(
                        FeedSpec.TRAFFIC_INCIDENTS, with(TRAFFIC, "severity", "6"), "severity"),
                Arguments.of(
                        FeedSpec.TRAFFIC_INCIDENTS,
                        with(TRAFFIC, "lanesBlocked", "-1"),
                        "lanesBlocked"),
                Arguments.of(
                        FeedSpec.TRAFFIC_READINGS, with(READING, "speedKmh", "-3"), "speedKmh"),
                Arguments.of(
                        FeedSpec.TRAFFIC_READINGS,
                        with(READING, "freeFlowKmh", "0"),
                        "freeFlowKmh"),
                Arguments.of(
                        FeedSpec.TRAFFIC_READINGS,
                        with(READING, "occupancyPct", "100.5"),
                        "occupancyPct"));
    }

    @ParameterizedTest(name = "{0} {2}")
    @MethodSource("badValues")
    <T extends SpecificRecord> void aBadValueIsRejectedAlikeOnBothPaths(
            FeedSpec<T> spec, String line, String field) {
        FeedDecoder<T> decoder = new FeedDecoder<>(spec);
        Decoded<T> fromJson = decoder.decodeJson(line);
        assertThat(fromJson).isInstanceOf(Decoded.Rejected.class);
        assertThat(((Decoded.Rejected<T>) fromJson).violation().field()).isEqualTo(field);

        // The same content as Avro: build the record without validation, encode, decode.
        T unchecked = JsonLineCodec.parse(spec, line).record();
        Decoded<T> fromAvro =
                decoder.decodeAvro(AvroCodec.of(spec.recordClass()).encode(unchecked));
        assertThat(fromAvro).isEqualTo(fromJson);
    }

    static Stream<Arguments> badJson() {
        return Stream.of(
                Arguments.of("{not json", null, "not valid JSON"),
                Arguments.of("[1,2]", null, "one JSON object"),
                Arguments.of(without(POLICE, "callId"), "callId", "required field is missing"),
                Arguments.of(with(POLICE, "priority", "\"high\""), "priority", "whole number"),
                Arguments.of(with(POLICE, "priority", "2.5"), "priority", "whole number"),
                Arguments.of(
                        with(POLICE, "receivedAt", "\"2018-12-01T00:25:00\""),
                        "receivedAt",
                        "with offset"),
                Arguments.of(with(POLICE, "action", "\"DELETE\""), "action", "NEW, UPDATE, CANCEL"),
                Arguments.of(
                        with(POLICE, "location", "{\"lat\":37.7}"), "location.lon", "required"));
    }

    @ParameterizedTest(name = "{2}")
    @MethodSource("badJson")
    void aMalformedLineIsRejectedWithAReasonNamingTheField(
            String line, String field, String reason) {
        Decoded<PoliceCall> decoded = new FeedDecoder<>(FeedSpec.POLICE_CALLS).decodeJson(line);
        assertThat(decoded).isInstanceOf(Decoded.Rejected.class);
        Violation violation = ((Decoded.Rejected<PoliceCall>) decoded).violation();
        assertThat(violation.field()).isEqualTo(field);
        assertThat(violation.reason()).contains(reason);
    }

    @Test
    void bytesThatAreNotSingleObjectAvroAreRejectedWithAnActionableReason() {
        FeedDecoder<PoliceCall> decoder = new FeedDecoder<>(FeedSpec.POLICE_CALLS);
        byte[] valid =
                AvroCodec.of(PoliceCall.class)
                        .encode(
                                ((Decoded.Accepted<PoliceCall>) decoder.decodeJson(POLICE))
                                        .record());
        byte[] truncated = java.util.Arrays.copyOf(valid, valid.length / 2);
        byte[] wrongSchema =
                AvroCodec.of(MedicalCall.class)
                        .encode(
                                ((Decoded.Accepted<MedicalCall>)
                                                new FeedDecoder<>(FeedSpec.MEDICAL_CALLS)
                                                        .decodeJson(MEDICAL))
                                        .record());

        assertThat(reason(decoder.decodeAvro(POLICE.getBytes())))
                .contains("not Avro single-object encoding");
        assertThat(reason(decoder.decodeAvro(truncated))).contains("truncated or corrupt");
        assertThat(reason(decoder.decodeAvro(wrongSchema)))
                .contains("schema this reader does not know");
        assertThat(reason(decoder.decodeAvro(new byte[0]))).contains("empty");
    }

    private static String reason(Decoded<?> decoded) {
        assertThat(decoded).isInstanceOf(Decoded.Rejected.class);
        return ((Decoded.Rejected<?>) decoded).violation().reason();
    }

    static String with(String line, String field, String jsonValue) {
        try {
            ObjectNode node = (ObjectNode) JSON.readTree(line);
            node.set(field, JSON.readTree(jsonValue));
            return node.toString();
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    static String without(String line, String field) {
        try {
            ObjectNode node = (ObjectNode) JSON.readTree(line);
            node.remove(field);
            return node.toString();
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }
}
