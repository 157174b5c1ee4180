package org.cityops.schemas.serde;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.avro.Schema;
import org.apache.avro.message.BinaryMessageDecoder;
import org.apache.avro.message.BinaryMessageEncoder;
import org.apache.avro.specific.SpecificData;
import org.apache.avro.specific.SpecificRecord;

/**
 * Avro single-object encoding (marker, schema fingerprint, body) for one record class. The
 * fingerprint lets a reader know which schema wrote a record; every released earlier version of the
 * schema is registered, so old producers keep working while new fields are added. Thread-safe.
 */
public final class AvroCodec<T extends SpecificRecord> {

    private static final Map<Class<?>, AvroCodec<?>> CACHE = new ConcurrentHashMap<>();

    private final Class<T> type;
    private final BinaryMessageEncoder<T> encoder;
    private final BinaryMessageDecoder<T> decoder;

    private AvroCodec(Class<T> type) {
        this.type = type;
        SpecificData model = SpecificData.getForClass(type);
        Schema schema = model.getSchema(type);
        this.encoder = new BinaryMessageEncoder<>(model, schema);
        this.decoder = new BinaryMessageDecoder<>(model, schema);
        SchemaHistory.previousVersionsOf(schema.getFullName()).forEach(decoder::addSchema);
    }

    @SuppressWarnings("unchecked")
    public static <T extends SpecificRecord> AvroCodec<T> of(Class<T> type) {
        return (AvroCodec<T>) CACHE.computeIfAbsent(type, t -> new AvroCodec<>(type));
    }

    public Class<T> type() {
        return type;
    }

    public byte[] encode(T record) {
        try {
            ByteBuffer buffer = encoder.encode(record);
            byte[] bytes = new byte[buffer.remaining()];
            buffer.get(bytes);
            return bytes;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot encode " + type.getSimpleName(), e);
        }
    }

    /**
     * Decodes a single-object-encoded record. Throws {@link
     * org.apache.avro.message.BadHeaderException} when the bytes are not single-object encoded,
     * {@link org.apache.avro.message.MissingSchemaException} when written with a schema this reader
     * does not know, and {@link IOException} or {@link RuntimeException} for a corrupt body.
     */
    public T decode(byte[] bytes) throws IOException {
        return decoder.decode(bytes);
    }
}
