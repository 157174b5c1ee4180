package org.cityops.replay.convert;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.OutputStream;
import java.io.OutputStreamWriter;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.zip.GZIPOutputStream;

/** Small helpers for writing contract JSON lines. */
final class Json {

    static final ObjectMapper MAPPER = new ObjectMapper();
    static final ZoneId SAN_FRANCISCO = ZoneId.of("America/Los_Angeles");

    private Json() {}

    static ObjectNode object() {
        return MAPPER.createObjectNode();
    }

    static String timestamp(ZonedDateTime time) {
        return time.format(DateTimeFormatter.ISO_OFFSET_DATE_TIME);
    }

    static ObjectNode location(double lat, double lon, String address) {
        ObjectNode location = object().put("lat", lat).put("lon", lon);
        if (address != null && !address.isBlank()) {
            location.put("address", address);
        }
        return location;
    }

    /**
     * A fictional caller number in the 555-01xx range reserved for fiction, derived from the record
     * id, so the demo shows personal-data masking without anyone's real number.
     */
    static String fictionalPhone(String id) {
        return String.format("415-555-01%02d", Math.floorMod(id.hashCode(), 100));
    }

    /** Writes lines to {@code file}; gzip when the name ends in {@code .gz}. */
    static void write(Path file, List<String> lines) {
        try {
            Files.createDirectories(file.toAbsolutePath().getParent());
            OutputStream out = Files.newOutputStream(file);
            if (file.getFileName().toString().endsWith(".gz")) {
                out = new GZIPOutputStream(out, 1 << 16);
            }
            try (BufferedWriter writer =
                    new BufferedWriter(new OutputStreamWriter(out, StandardCharsets.UTF_8))) {
                for (String line : lines) {
                    writer.write(line);
                    writer.write('\n');
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + file, e);
        }
    }
}
