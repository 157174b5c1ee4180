package org.cityops.schemas.contract;

import java.nio.charset.StandardCharsets;
import org.apache.avro.SchemaNormalization;
import org.apache.avro.message.BadHeaderException;
import org.apache.avro.message.MissingSchemaException;
import org.apache.avro.specific.SpecificRecord;
import org.cityops.schemas.Action;
import org.cityops.schemas.feeds.MedicalCall;
import org.cityops.schemas.serde.AvroCodec;

/**
 * Decodes one feed record from either wire form (single-object Avro, or a contract JSON line),
 * applies the contract's defaults, validates it, and fingerprints its content. Both forms end in
 * the same record, the same rules and the same fingerprint, so they accept and reject alike.
 */
public final class FeedDecoder<T extends SpecificRecord> {

    private final FeedSpec<T> spec;
    private final AvroCodec<T> codec;

    public FeedDecoder(FeedSpec<T> spec) {
        this.spec = spec;
        this.codec = AvroCodec.of(spec.recordClass());
    }

    public FeedSpec<T> spec() {
        return spec;
    }

    public Decoded<T> decodeAvro(byte[] bytes) {
        if (bytes == null || bytes.length == 0) {
            return rejected(Violation.whole("empty record: no value bytes"));
        }
        T record;
        try {
            record = codec.decode(bytes);
        } catch (BadHeaderException e) {
            return rejected(
                    Violation.whole(
                            "not Avro single-object encoding (no C3 01 marker): produce "
                                    + spec.name()
                                    + " with the event-schemas serializer"));
        } catch (MissingSchemaException e) {
            return rejected(
                    Violation.whole(
                            "written with a schema this reader does not know ("
                                    + e.getMessage()
                                    + "): not a released "
                                    + spec.recordClass().getSimpleName()
                                    + " schema"));
        } catch (Exception e) {
            return rejected(
                    Violation.whole(
                            "truncated or corrupt Avro "
                                    + spec.recordClass().getSimpleName()
                                    + ": "
                                    + e.getClass().getSimpleName()
                                    + (e.getMessage() == null ? "" : " " + e.getMessage())));
        }
        return validated(record);
    }

    public Decoded<T> decodeJson(String line) {
        JsonLineCodec.Parsed<T> parsed = JsonLineCodec.parse(spec, line);
        if (parsed.violation() != null) {
            return rejected(parsed.violation());
        }
        return validated(parsed.record());
    }

    public Decoded<T> decodeJson(byte[] utf8) {
        return decodeJson(new String(utf8, StandardCharsets.UTF_8));
    }

    private Decoded<T> validated(T record) {
        applyDefaults(record);
        var violation = FeedValidator.validate(record);
        if (violation.isPresent()) {
            return rejected(violation.get());
        }
        return new Decoded.Accepted<>(
                record, SchemaNormalization.fingerprint64(codec.encode(record)));
    }

    /** The contract's defaults, made explicit so that "absent" and "default" are one content. */
    private static void applyDefaults(SpecificRecord record) {
        var actionField = record.getSchema().getField("action");
        if (actionField != null && record.get(actionField.pos()) == null) {
            record.put(actionField.pos(), Action.NEW);
        }
        if (record instanceof MedicalCall call && call.getPatientCount() == null) {
            call.setPatientCount(1);
        }
    }

    private Decoded<T> rejected(Violation violation) {
        return new Decoded.Rejected<>(violation);
    }
}
