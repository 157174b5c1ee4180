package org.cityops.schemas.serde;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.apache.avro.Schema;

/**
 * The released versions of each schema, checked in under {@code src/main/resources/schema-history}
 * and listed in its {@code index.txt} ("full.Name vN" per line). Decoders register them so that
 * records written by an older producer still decode, and the compatibility test checks the current
 * schemas against them.
 */
public final class SchemaHistory {

    private static final String ROOT = "/schema-history/";

    private SchemaHistory() {}

    public record Version(String fullName, String version, Schema schema) {}

    public static List<Version> all() {
        List<Version> versions = new ArrayList<>();
        try (InputStream index = SchemaHistory.class.getResourceAsStream(ROOT + "index.txt")) {
            if (index == null) {
                return versions;
            }
            BufferedReader lines =
                    new BufferedReader(new InputStreamReader(index, StandardCharsets.UTF_8));
            String line;
            while ((line = lines.readLine()) != null) {
                line = line.strip();
                if (line.isEmpty() || line.startsWith("#")) {
                    continue;
                }
                String[] parts = line.split("\\s+");
                versions.add(new Version(parts[0], parts[1], load(parts[0], parts[1])));
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return versions;
    }

    public static List<Schema> previousVersionsOf(String fullName) {
        return all().stream()
                .filter(v -> v.fullName().equals(fullName))
                .map(Version::schema)
                .toList();
    }

    private static Schema load(String fullName, String version) throws IOException {
        String path = ROOT + version + "/" + fullName + ".avsc";
        try (InputStream in = SchemaHistory.class.getResourceAsStream(path)) {
            if (in == null) {
                throw new IOException("schema history lists " + path + " but it is missing");
            }
            return new Schema.Parser().parse(in);
        }
    }
}
