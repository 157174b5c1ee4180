package org.cityops.replay.convert;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.file.Path;
import java.time.LocalDateTime;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * San Francisco Police Department incident reports (DataSF wg3w-h783) to {@code police.calls}: one
 * call per Incident Number at its incident time. Rows without coordinates are kept, without a
 * location, so the pipeline dead-letters them visibly instead of their vanishing here.
 */
public final class SfpdConverter {

    private static final DateTimeFormatter FORMAT =
            DateTimeFormatter.ofPattern("yyyy/MM/dd hh:mm:ss a", Locale.US);

    private static final Map<String, String> CATEGORY =
            Map.ofEntries(
                    Map.entry("Robbery", "ROBBERY"),
                    Map.entry("Assault", "ASSAULT"),
                    Map.entry("Burglary", "BURGLARY"),
                    Map.entry("Larceny Theft", "THEFT"),
                    Map.entry("Motor Vehicle Theft", "THEFT"),
                    Map.entry("Stolen Property", "THEFT"),
                    Map.entry("Traffic Collision", "TRAFFIC_COLLISION"),
                    Map.entry("Disorderly Conduct", "DISTURBANCE"),
                    Map.entry("Malicious Mischief", "DISTURBANCE"),
                    Map.entry("Vandalism", "DISTURBANCE"),
                    Map.entry("Suspicious Occ", "SUSPICIOUS"),
                    Map.entry("Suspicious", "SUSPICIOUS"),
                    Map.entry("Missing Person", "MISSING_PERSON"));

    private static final Map<String, Integer> PRIORITY =
            Map.of(
                    "ROBBERY",
                    1,
                    "ASSAULT",
                    1,
                    "MISSING_PERSON",
                    2,
                    "BURGLARY",
                    2,
                    "TRAFFIC_COLLISION",
                    2,
                    "DISTURBANCE",
                    3,
                    "SUSPICIOUS",
                    3,
                    "THEFT",
                    3);

    private SfpdConverter() {}

    public static List<String> convert(Path csv, ZonedDateTime from, ZonedDateTime to) {
        Map<String, Map<String, String>> incidents = new LinkedHashMap<>();
        for (Map<String, String> row : CsvRows.read(csv)) {
            incidents.putIfAbsent(row.get("Incident Number"), row);
        }
        List<SfFireEmsConverter.Converted> calls = new ArrayList<>();
        for (Map<String, String> row : incidents.values()) {
            ZonedDateTime at =
                    LocalDateTime.parse(row.get("Incident Datetime"), FORMAT)
                            .atZone(Json.SAN_FRANCISCO);
            if (at.isBefore(from) || !at.isBefore(to)) {
                continue;
            }
            String original = row.get("Incident Category");
            String category =
                    CATEGORY.getOrDefault(original, original.isBlank() ? "OTHER" : original);
            String cad = row.get("CAD Number");
            String id =
                    "SFPD-"
                            + (cad == null || cad.isBlank()
                                    ? "I" + row.get("Incident Number")
                                    : cad);
            ObjectNode call =
                    Json.object()
                            .put("callId", id)
                            .put("receivedAt", Json.timestamp(at))
                            .put("occurredAt", Json.timestamp(at))
                            .put("category", category)
                            .put("priority", PRIORITY.getOrDefault(category, 4));
            if (!row.get("Latitude").isBlank() && !row.get("Longitude").isBlank()) {
                String address = row.get("Intersection").replace(" \\ ", " & ");
                call.set(
                        "location",
                        Json.location(
                                Double.parseDouble(row.get("Latitude")),
                                Double.parseDouble(row.get("Longitude")),
                                address));
            }
            call.put("callerPhone", Json.fictionalPhone(id));
            call.put("description", row.get("Incident Description"));
            calls.add(new SfFireEmsConverter.Converted(at, call.toString()));
        }
        return SfFireEmsConverter.sorted(calls);
    }
}
