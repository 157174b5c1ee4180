package org.cityops.schemas.contract;

import org.apache.avro.specific.SpecificRecord;

/** The outcome of decoding and validating one feed record: accepted, or rejected with a reason. */
public sealed interface Decoded<T extends SpecificRecord> {

    /** A record that keeps the contract; {@code fingerprint} is equal for an exact repeat. */
    record Accepted<T extends SpecificRecord>(T record, long fingerprint) implements Decoded<T> {}

    record Rejected<T extends SpecificRecord>(Violation violation) implements Decoded<T> {}

    default boolean accepted() {
        return this instanceof Accepted;
    }
}
