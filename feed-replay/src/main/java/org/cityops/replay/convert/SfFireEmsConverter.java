package org.cityops.replay.convert;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.file.Path;
import java.time.LocalDateTime;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.cityops.schemas.Department;
import org.cityops.schemas.city.CommandKind;
import org.cityops.schemas.city.FeedbackCommand;
import org.cityops.schemas.contract.FeedSpec;
import org.cityops.schemas.feedback.FeedbackLines;

/**
 * San Francisco Fire Department calls for service (DataSF nuek-vuh3, one row per responding unit)
 * to {@code fire.alarms} and {@code medical.calls}: one report per Call Number, at its Received
 * time, and its first unit's timestamps as that department's unit statuses. Medical incidents and
 * traffic collisions (with injuries, as SFFD attends them) become medical calls; fires, alarms,
 * leaks and rescues become fire alarms.
 */
public final class SfFireEmsConverter {

    private static final List<DateTimeFormatter> FORMATS =
            List.of(
                    DateTimeFormatter.ofPattern("MM/dd/yyyy hh:mm:ss a", Locale.US),
                    DateTimeFormatter.ofPattern("M/d/yy H:mm", Locale.US));
    private static final Pattern POINT =
            Pattern.compile("\\(\\s*(-?[0-9.]+)\\s*,\\s*(-?[0-9.]+)\\s*\\)");

    private static final Map<String, String> FIRE_CATEGORY =
            Map.ofEntries(
                    Map.entry("Structure Fire", "STRUCTURE_FIRE"),
                    Map.entry("Vehicle Fire", "VEHICLE_FIRE"),
                    Map.entry("Outside Fire", "OUTSIDE_FIRE"),
                    Map.entry("Alarms", "ALARM"),
                    Map.entry("Gas Leak (Natural and LP Gases)", "GAS_LEAK"),
                    Map.entry("Fuel Spill", "HAZMAT"),
                    Map.entry("HazMat", "HAZMAT"),
                    Map.entry("Electrical Hazard", "ELECTRICAL_HAZARD"),
                    Map.entry("Elevator / Escalator Rescue", "RESCUE"),
                    Map.entry("Extrication / Entrapped (Machinery, Vehicle)", "RESCUE"),
                    Map.entry("Water Rescue", "WATER_RESCUE"));

    /**
     * The converted lines of each feed, and the first unit's statuses per call for {@code
     * dispatch.feedback.jsonl}.
     */
    public record Output(
            List<String> fireAlarms, List<String> medicalCalls, List<String> unitStatuses) {}

    /** Who reports the units' statuses: SFFD's computer-aided dispatch. */
    static final String CAD = "sffd-cad";

    /**
     * The first unit's timestamps as department feedback: Dispatch DtTm = the department took it (a
     * unit assigned), Response DtTm = en route, On Scene DtTm = on scene, Available DtTm =
     * resolved.
     */
    private static final List<Map.Entry<String, CommandKind>> UNIT_PHASES =
            List.of(
                    Map.entry("Dispatch DtTm", CommandKind.ACKNOWLEDGE),
                    Map.entry("Response DtTm", CommandKind.EN_ROUTE),
                    Map.entry("On Scene DtTm", CommandKind.ON_SCENE),
                    Map.entry("Available DtTm", CommandKind.RESOLVE));

    private SfFireEmsConverter() {}

    public static Output convert(Path csv, ZonedDateTime from, ZonedDateTime to) {
        Map<String, List<Map<String, String>>> calls = new LinkedHashMap<>();
        for (Map<String, String> row : CsvRows.read(csv)) {
            calls.computeIfAbsent(row.get("Call Number"), k -> new ArrayList<>()).add(row);
        }
        List<Converted> fire = new ArrayList<>();
        List<Converted> medical = new ArrayList<>();
        List<Converted> statuses = new ArrayList<>();
        for (var call : calls.entrySet()) {
            List<Map<String, String>> units = call.getValue();
            units.sort(
                    Comparator.comparingInt(
                            r -> parseInt(r.get("Unit sequence in call dispatch"), 99)));
            Map<String, String> first = units.get(0);
            ZonedDateTime received = time(first.get("Received DtTm"));
            if (received == null || received.isBefore(from) || !received.isBefore(to)) {
                continue;
            }
            Matcher point = POINT.matcher(first.getOrDefault("Location", ""));
            if (!point.find()) {
                continue;
            }
            double lat = Double.parseDouble(point.group(1));
            double lon = Double.parseDouble(point.group(2));
            String type = first.get("Call Type");
            String id = "SFFD-" + call.getKey();
            String address = first.get("Address");
            boolean isMedical = type.equals("Medical Incident") || type.equals("Traffic Collision");
            statuses.addAll(
                    unitStatuses(
                            id,
                            isMedical ? FeedSpec.MEDICAL_CALLS : FeedSpec.FIRE_ALARMS,
                            isMedical ? Department.medical : Department.fire,
                            first));
            if (isMedical) {
                medical.add(
                        new Converted(
                                received,
                                medicalCall(id, received, type, first, lat, lon, address)));
            } else {
                int alarms =
                        units.stream()
                                .mapToInt(r -> parseInt(r.get("Number of Alarms"), 1))
                                .max()
                                .orElse(1);
                fire.add(
                        new Converted(
                                received,
                                fireAlarm(
                                        id,
                                        received,
                                        type,
                                        alarms,
                                        lat,
                                        lon,
                                        address,
                                        units.size())));
            }
        }
        return new Output(sorted(fire), sorted(medical), sorted(statuses));
    }

    /** The first unit's statuses on the report {@code reportId}, one per timestamp it has. */
    private static List<Converted> unitStatuses(
            String reportId, FeedSpec<?> feed, Department department, Map<String, String> unit) {
        List<Converted> lines = new ArrayList<>();
        for (Map.Entry<String, CommandKind> phase : UNIT_PHASES) {
            ZonedDateTime at = time(unit.get(phase.getKey()));
            if (at == null) {
                continue;
            }
            FeedbackCommand.Builder status =
                    FeedbackCommand.newBuilder()
                            .setCommandId(reportId + "/" + phase.getValue())
                            .setKind(phase.getValue())
                            .setIncidentId("")
                            .setReportFeed(feed.name())
                            .setReportId(reportId)
                            .setUnit(unit.get("Unit ID"))
                            .setDepartment(department)
                            .setActor(CAD)
                            .setActorRole("department-system")
                            .setAt(at.toInstant());
            if (phase.getValue() == CommandKind.RESOLVE) {
                String disposition = unit.getOrDefault("Call Final Disposition", "");
                status.setDisposition(
                        disposition.isBlank()
                                ? "unit " + unit.get("Unit ID") + " available"
                                : disposition);
            }
            lines.add(new Converted(at, FeedbackLines.toLine(status.build())));
        }
        return lines;
    }

    private static String medicalCall(
            String id,
            ZonedDateTime received,
            String type,
            Map<String, String> row,
            double lat,
            double lon,
            String address) {
        boolean lifeThreatening =
                row.getOrDefault("Call Type Group", "").startsWith("Potentially Life");
        boolean emergency =
                "3".equals(row.get("Original Priority"))
                        || "E".equals(row.get("Original Priority"));
        int acuity = lifeThreatening ? (emergency ? 1 : 2) : (emergency ? 3 : 4);
        ObjectNode call =
                Json.object()
                        .put("callId", id)
                        .put("receivedAt", Json.timestamp(received))
                        .put(
                                "complaint",
                                type.equals("Traffic Collision") ? "TRAFFIC_INJURY" : "OTHER")
                        .put("acuity", acuity)
                        .put("patientCount", 1);
        call.set("location", Json.location(lat, lon, address));
        call.put("callerPhone", Json.fictionalPhone(id));
        call.put(
                "description",
                type
                        + " ("
                        + row.getOrDefault("Call Type Group", "")
                        + "), SFFD call "
                        + row.get("Call Number"));
        return call.toString();
    }

    private static String fireAlarm(
            String id,
            ZonedDateTime received,
            String type,
            int alarms,
            double lat,
            double lon,
            String address,
            int units) {
        ObjectNode alarm =
                Json.object()
                        .put("alarmId", id)
                        .put("receivedAt", Json.timestamp(received))
                        .put("source", type.equals("Alarms") ? "AUTOMATIC_DETECTOR" : "CALL")
                        .put("category", FIRE_CATEGORY.getOrDefault(type, type))
                        .put("alarmLevel", Math.max(1, Math.min(5, alarms)));
        alarm.set("location", Json.location(lat, lon, address));
        if (!type.equals("Alarms")) {
            alarm.put("callerPhone", Json.fictionalPhone(id));
        }
        alarm.put("description", type + ", " + units + " unit(s) responded");
        return alarm.toString();
    }

    static ZonedDateTime time(String text) {
        if (text == null || text.isBlank()) {
            return null;
        }
        for (DateTimeFormatter format : FORMATS) {
            try {
                return LocalDateTime.parse(text, format).atZone(Json.SAN_FRANCISCO);
            } catch (DateTimeParseException ignored) {
                // try the next format
            }
        }
        return null;
    }

    private static int parseInt(String text, int fallback) {
        try {
            return Integer.parseInt(text);
        } catch (NumberFormatException | NullPointerException e) {
            return fallback;
        }
    }

    record Converted(ZonedDateTime time, String line) {}

    static List<String> sorted(List<Converted> converted) {
        return converted.stream()
                .sorted(Comparator.comparing(Converted::time))
                .map(Converted::line)
                .toList();
    }
}
