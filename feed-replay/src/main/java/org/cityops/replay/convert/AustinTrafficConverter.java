package org.cityops.replay.convert;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.file.Path;
import java.time.LocalDate;
import java.time.LocalTime;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * City of Austin real-time traffic incident reports (dx9v-zd7x) to {@code traffic.incidents}. The
 * rows of one Austin day are moved onto one San Francisco day (same clock time) and into San
 * Francisco's box ({@link Relocation#AUSTIN}): real incident types, timing and spatial pattern,
 * shown on the SF screen. They are not real San Francisco events.
 */
public final class AustinTrafficConverter {

    private static final DateTimeFormatter DATE =
            DateTimeFormatter.ofPattern("MM/dd/yyyy", Locale.US);

    private static final Map<String, String> TYPE =
            Map.ofEntries(
                    Map.entry("Crash Urgent", "COLLISION"),
                    Map.entry("Crash Service", "COLLISION"),
                    Map.entry("COLLISION", "COLLISION"),
                    Map.entry("COLLISION WITH INJURY", "COLLISION"),
                    Map.entry("COLLISN/ LVNG SCN", "COLLISION"),
                    Map.entry("COLLISION/PRIVATE PROPERTY", "COLLISION"),
                    Map.entry("FLEET ACC/ INJURY", "COLLISION"),
                    Map.entry("zSTALLED VEHICLE", "STALLED_VEHICLE"),
                    Map.entry("Stalled Vehicle", "STALLED_VEHICLE"),
                    Map.entry("Traffic Hazard", "HAZARD"),
                    Map.entry("TRFC HAZD/ DEBRIS", "HAZARD"),
                    Map.entry("LOOSE LIVESTOCK", "HAZARD"),
                    Map.entry("Traffic Impediment", "HAZARD"),
                    Map.entry("BLOCKED DRIV/ HWY", "ROAD_CLOSURE"));

    private static final Map<String, Integer> SEVERITY =
            Map.of(
                    "Crash Urgent",
                    4,
                    "COLLISION WITH INJURY",
                    4,
                    "FLEET ACC/ INJURY",
                    4,
                    "COLLISN/ LVNG SCN",
                    3,
                    "COLLISION",
                    3,
                    "Crash Service",
                    2,
                    "BLOCKED DRIV/ HWY",
                    3,
                    "VEHICLE FIRE",
                    4);

    private AustinTrafficConverter() {}

    public static List<String> convert(Path csv, LocalDate austinDay, LocalDate sanFranciscoDay) {
        List<SfFireEmsConverter.Converted> reports = new ArrayList<>();
        for (Map<String, String> row : CsvRows.read(csv)) {
            if (!LocalDate.parse(row.get("PublishedDate"), DATE).equals(austinDay)) {
                continue;
            }
            double lat = Double.parseDouble(row.get("Latitude"));
            double lon = Double.parseDouble(row.get("Longitude"));
            if (!Relocation.AUSTIN.covers(lat, lon)) {
                continue;
            }
            double[] sf = Relocation.AUSTIN.toSanFrancisco(lat, lon);
            LocalTime clock =
                    LocalTime.of(
                            Integer.parseInt(row.get("PublishedHour")),
                            Integer.parseInt(row.get("PublishedMin")),
                            Integer.parseInt(row.get("PublishedSec")));
            ZonedDateTime detected = sanFranciscoDay.atTime(clock).atZone(Json.SAN_FRANCISCO);
            String issue = row.get("IssueReported");
            String type =
                    TYPE.getOrDefault(issue, issue.equals("VEHICLE FIRE") ? "OTHER" : "OTHER");
            ObjectNode report =
                    Json.object()
                            .put("reportId", "ATX-" + row.get("Traffic Report ID"))
                            .put("detectedAt", Json.timestamp(detected))
                            .put("type", type)
                            .put(
                                    "severity",
                                    SEVERITY.getOrDefault(
                                            issue, type.equals("STALLED_VEHICLE") ? 1 : 2));
            report.set("location", Json.location(sf[0], sf[1], null));
            if (type.equals("COLLISION") || type.equals("ROAD_CLOSURE")) {
                report.put(
                        "lanesBlocked",
                        issue.contains("INJURY") || issue.equals("Crash Urgent") ? 2 : 1);
            }
            report.put("source", "CALL");
            reports.add(new SfFireEmsConverter.Converted(detected, report.toString()));
        }
        return SfFireEmsConverter.sorted(reports);
    }
}
