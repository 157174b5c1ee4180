package org.cityops.replay.convert;

import com.fasterxml.jackson.databind.MappingIterator;
import com.fasterxml.jackson.dataformat.csv.CsvMapper;
import com.fasterxml.jackson.dataformat.csv.CsvSchema;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** Reads a CSV file (or .csv.gz) with a header row into maps of column name to trimmed value. */
final class CsvRows {

    private CsvRows() {}

    static List<Map<String, String>> read(Path file) {
        CsvMapper mapper = new CsvMapper();
        CsvSchema schema = CsvSchema.emptySchema().withHeader();
        List<Map<String, String>> rows = new ArrayList<>();
        try (MappingIterator<Map<String, String>> it =
                mapper.readerForMapOf(String.class).with(schema).readValues(open(file))) {
            while (it.hasNext()) {
                Map<String, String> row = it.next();
                Map<String, String> trimmed = new java.util.HashMap<>();
                row.forEach((k, v) -> trimmed.put(k.strip(), v == null ? "" : v.strip()));
                rows.add(trimmed);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + file, e);
        }
        return rows;
    }

    private static java.io.InputStream open(Path file) throws IOException {
        java.io.InputStream in = java.nio.file.Files.newInputStream(file);
        return file.getFileName().toString().endsWith(".gz")
                ? new java.util.zip.GZIPInputStream(in, 1 << 16)
                : in;
    }
}
