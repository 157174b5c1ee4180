package org.cityops.schemas.contract;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.ByteBuffer;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import org.apache.avro.LogicalType;
import org.apache.avro.LogicalTypes;
import org.apache.avro.Schema;
import org.apache.avro.generic.GenericEnumSymbol;
import org.apache.avro.generic.IndexedRecord;
import org.apache.avro.specific.SpecificData;
import org.apache.avro.specific.SpecificRecord;

/**
 * The contract's natural JSON (one object per line, field names as in the contract, ISO-8601
 * timestamps with offset) to and from the Avro records, driven by the Avro schema so both paths
 * carry exactly the same information. Unknown fields are ignored; a missing required field, a wrong
 * type or a timestamp without offset is a {@link Violation}. Semantic rules (ranges, blank ids) are
 * {@link FeedValidator}'s, shared with the Avro path.
 */
public final class JsonLineCodec {

    private static final ObjectMapper MAPPER = new ObjectMapper();
    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

    private JsonLineCodec() {}

    /** Thrown inside the codec and turned into a {@link Violation} at its edge. */
    private static final class Invalid extends Exception {
        private final Violation violation;

        Invalid(String field, String reason) {
            super(reason, null, false, false);
            this.violation = Violation.of(field, reason);
        }
    }

    /** Result of parsing a line: the record, or the violation that prevented it. */
    public record Parsed<T extends SpecificRecord>(T record, Violation violation) {}

    public static <T extends SpecificRecord> Parsed<T> parse(FeedSpec<T> spec, String line) {
        return parse(spec.recordClass(), spec.schema(), line);
    }

    /** Any CityOps record as one JSON object, field by field (e.g. a dispatch.feedback line). */
    public static <T extends SpecificRecord> Parsed<T> parse(
            Class<T> recordClass, Schema schema, String line) {
        JsonNode node;
        try {
            node = MAPPER.readTree(line);
        } catch (JsonProcessingException e) {
            return new Parsed<>(null, Violation.whole("not valid JSON: " + e.getOriginalMessage()));
        }
        if (node == null || !node.isObject()) {
            return new Parsed<>(null, Violation.whole("a line must be one JSON object"));
        }
        SpecificData model = SpecificData.getForClass(recordClass);
        try {
            @SuppressWarnings("unchecked")
            T record = (T) toAvro(model, schema, node, "");
            return new Parsed<>(record, null);
        } catch (Invalid e) {
            return new Parsed<>(null, e.violation);
        }
    }

    private static Object toAvro(SpecificData model, Schema schema, JsonNode node, String path)
            throws Invalid {
        switch (schema.getType()) {
            case UNION -> {
                Schema value = nonNullBranch(schema);
                if (node == null || node.isNull()) {
                    return null;
                }
                return toAvro(model, value, node, path);
            }
            case RECORD -> {
                if (!node.isObject()) {
                    throw new Invalid(path, "must be a JSON object");
                }
                IndexedRecord record = (IndexedRecord) model.newRecord(null, schema);
                for (Schema.Field field : schema.getFields()) {
                    String fieldPath = path.isEmpty() ? field.name() : path + "." + field.name();
                    JsonNode child = node.get(field.name());
                    boolean absent = child == null || child.isNull();
                    if (absent && !isNullable(field.schema()) && field.hasDefaultValue()) {
                        // optional by its default (no feed field is; e.g. a command's eventIds)
                        record.put(
                                field.pos(),
                                model.deepCopy(field.schema(), model.getDefaultValue(field)));
                        continue;
                    }
                    if (absent && !isNullable(field.schema())) {
                        throw new Invalid(fieldPath, "required field is missing");
                    }
                    record.put(field.pos(), toAvro(model, field.schema(), child, fieldPath));
                }
                return record;
            }
            case STRING -> {
                if (!node.isTextual()) {
                    throw new Invalid(path, "must be a string");
                }
                return node.textValue();
            }
            case INT -> {
                if (!node.isIntegralNumber() || !node.canConvertToInt()) {
                    throw new Invalid(path, "must be a whole number, was " + shorten(node));
                }
                return node.intValue();
            }
            case LONG -> {
                if (isTimestamp(schema)) {
                    return parseTimestamp(node, path);
                }
                if (!node.isIntegralNumber() || !node.canConvertToLong()) {
                    throw new Invalid(path, "must be a whole number, was " + shorten(node));
                }
                return node.longValue();
            }
            case DOUBLE -> {
                if (!node.isNumber()) {
                    throw new Invalid(path, "must be a number, was " + shorten(node));
                }
                return node.doubleValue();
            }
            case BOOLEAN -> {
                if (!node.isBoolean()) {
                    throw new Invalid(path, "must be true or false");
                }
                return node.booleanValue();
            }
            case ENUM -> {
                List<String> symbols = schema.getEnumSymbols();
                if (!node.isTextual() || !symbols.contains(node.textValue())) {
                    throw new Invalid(
                            path,
                            "must be one of "
                                    + String.join(", ", contractSymbols(schema))
                                    + ", was "
                                    + shorten(node));
                }
                return model.createEnum(node.textValue(), schema);
            }
            case ARRAY -> {
                if (!node.isArray()) {
                    throw new Invalid(path, "must be a JSON array");
                }
                List<Object> items = new java.util.ArrayList<>();
                for (int i = 0; i < node.size(); i++) {
                    items.add(
                            toAvro(
                                    model,
                                    schema.getElementType(),
                                    node.get(i),
                                    path + "[" + i + "]"));
                }
                return items;
            }
            default ->
                    throw new IllegalStateException(
                            "CityOps records use no " + schema.getType() + " fields");
        }
    }

    private static Instant parseTimestamp(JsonNode node, String path) throws Invalid {
        if (!node.isTextual()) {
            throw new Invalid(
                    path,
                    "must be an ISO-8601 timestamp with offset, e.g. 2018-12-01T00:25:00-08:00");
        }
        try {
            return OffsetDateTime.parse(node.textValue(), DateTimeFormatter.ISO_OFFSET_DATE_TIME)
                    .toInstant();
        } catch (DateTimeParseException e) {
            throw new Invalid(
                    path,
                    "must be an ISO-8601 timestamp with offset, e.g. 2018-12-01T00:25:00-08:00, was "
                            + shorten(node));
        }
    }

    /** The record as the contract's natural JSON: one line, nulls left out, timestamps in UTC. */
    public static String toJsonLine(SpecificRecord record) {
        return toJson(record).toString();
    }

    public static ObjectNode toJson(IndexedRecord record) {
        return (ObjectNode) fromAvro(record.getSchema(), record);
    }

    private static JsonNode fromAvro(Schema schema, Object value) {
        if (value == null) {
            return NODES.nullNode();
        }
        switch (schema.getType()) {
            case UNION -> {
                return fromAvro(nonNullBranch(schema), value);
            }
            case RECORD -> {
                ObjectNode object = NODES.objectNode();
                IndexedRecord record = (IndexedRecord) value;
                for (Schema.Field field : schema.getFields()) {
                    Object fieldValue = record.get(field.pos());
                    if (fieldValue != null) {
                        object.set(field.name(), fromAvro(field.schema(), fieldValue));
                    }
                }
                return object;
            }
            case ARRAY -> {
                ArrayNode array = NODES.arrayNode();
                for (Object item : (Collection<?>) value) {
                    array.add(fromAvro(schema.getElementType(), item));
                }
                return array;
            }
            case MAP -> {
                ObjectNode object = NODES.objectNode();
                ((Map<?, ?>) value)
                        .forEach(
                                (k, v) ->
                                        object.set(
                                                String.valueOf(k),
                                                fromAvro(schema.getValueType(), v)));
                return object;
            }
            case STRING, ENUM -> {
                return NODES.textNode(
                        value instanceof GenericEnumSymbol<?> symbol
                                ? symbol.toString()
                                : String.valueOf(value));
            }
            case INT -> {
                return NODES.numberNode(((Number) value).intValue());
            }
            case LONG -> {
                if (value instanceof Instant instant) {
                    return NODES.textNode(instant.toString());
                }
                return isTimestamp(schema)
                        ? NODES.textNode(Instant.ofEpochMilli((Long) value).toString())
                        : NODES.numberNode((Long) value);
            }
            case DOUBLE -> {
                return NODES.numberNode(((Number) value).doubleValue());
            }
            case BOOLEAN -> {
                return NODES.booleanNode((Boolean) value);
            }
            case BYTES -> {
                ByteBuffer buffer = ((ByteBuffer) value).duplicate();
                byte[] bytes = new byte[buffer.remaining()];
                buffer.get(bytes);
                return NODES.binaryNode(bytes);
            }
            default -> {
                return NODES.textNode(String.valueOf(value));
            }
        }
    }

    private static boolean isTimestamp(Schema schema) {
        LogicalType logical = schema.getLogicalType();
        return logical instanceof LogicalTypes.TimestampMillis;
    }

    private static boolean isNullable(Schema schema) {
        return schema.getType() == Schema.Type.UNION
                && schema.getTypes().stream().anyMatch(s -> s.getType() == Schema.Type.NULL);
    }

    private static Schema nonNullBranch(Schema union) {
        return union.getTypes().stream()
                .filter(s -> s.getType() != Schema.Type.NULL)
                .findFirst()
                .orElseThrow();
    }

    /** Enum symbols a sender may use: the reader-only default (UNKNOWN) is not one of them. */
    private static List<String> contractSymbols(Schema schema) {
        return schema.getEnumSymbols().stream()
                .filter(s -> !s.equalsIgnoreCase(schema.getEnumDefault()))
                .toList();
    }

    private static String shorten(JsonNode node) {
        String text = node.toString();
        return text.length() > 40 ? text.substring(0, 40) + "..." : text;
    }
}
