package org.cityops.jobs.incidents;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.zip.CRC32;
import org.cityops.schemas.Action;
import org.cityops.schemas.Category;
import org.cityops.schemas.IncidentStatus;
import org.cityops.schemas.city.CityEvent;
import org.cityops.schemas.city.Incident;
import org.cityops.schemas.city.IncidentReport;

/**
 * Builds the incident of a single report — the walking skeleton's stand-in until fusion groups
 * reports of one real-world event. Plain Java: NEW opens an incident, UPDATE revises it, CANCEL
 * cancels it; every change is a new version.
 */
public final class IncidentBuilder {

    private IncidentBuilder() {}

    /** A URL-safe incident id derived from the report: stable, readable, unique per report. */
    public static String incidentIdFor(CityEvent event) {
        String code =
                switch (event.getFeed()) {
                    case POLICE_CALLS -> "POL";
                    case FIRE_ALARMS -> "FIR";
                    case MEDICAL_CALLS -> "MED";
                    case TRAFFIC_INCIDENTS -> "TRF";
                    default -> "EVT";
                };
        String id = event.getSourceId();
        String safe = id.replaceAll("[^A-Za-z0-9._-]", "_");
        if (!safe.equals(id)) {
            CRC32 crc = new CRC32();
            crc.update(id.getBytes(StandardCharsets.UTF_8));
            safe = safe + "-" + Long.toHexString(crc.getValue());
        }
        return "INC-" + code + "-" + safe;
    }

    public static Incident open(CityEvent event) {
        return Incident.newBuilder()
                .setIncidentId(incidentIdFor(event))
                .setVersion(1)
                .setStatus(statusAfter(event))
                .setCategory(event.getCategory())
                .setSeverity(event.getSeverity())
                .setTitle(title(event))
                .setDepartments(List.of(event.getDepartment()))
                .setLocation(event.getLocation())
                .setFirstReportAt(event.getEventTime())
                .setLastReportAt(event.getEventTime())
                .setUpdatedAt(event.getEventTime())
                .setReports(List.of(report(event)))
                .build();
    }

    /** The incident after a later record of the same report. */
    public static Incident revise(Incident current, CityEvent event) {
        List<IncidentReport> reports = new ArrayList<>(current.getReports());
        reports.removeIf(r -> r.getEventId().equals(event.getEventId()));
        reports.add(report(event));
        Instant last = max(current.getLastReportAt(), event.getEventTime());
        return Incident.newBuilder(current)
                .setVersion(current.getVersion() + 1)
                .setStatus(statusAfter(event))
                .setCategory(event.getCategory())
                .setSeverity(event.getSeverity())
                .setTitle(title(event))
                .setLocation(event.getLocation())
                .setLastReportAt(last)
                .setUpdatedAt(max(current.getUpdatedAt(), event.getEventTime()))
                .setReports(reports)
                .build();
    }

    private static IncidentStatus statusAfter(CityEvent event) {
        return event.getAction() == Action.CANCEL
                ? IncidentStatus.CANCELLED
                : IncidentStatus.DISCOVERED;
    }

    private static IncidentReport report(CityEvent event) {
        return IncidentReport.newBuilder()
                .setEventId(event.getEventId())
                .setFeed(event.getFeed())
                .setSourceId(event.getSourceId())
                .setDepartment(event.getDepartment())
                .setAction(event.getAction())
                .setReportedAt(event.getEventTime())
                .setCategory(event.getCategory())
                .setOriginalCategory(event.getOriginalCategory())
                .setSeverity(event.getSeverity())
                .setDescription(event.getDescription())
                .setPersonalData(event.getPersonalData())
                .build();
    }

    static String title(CityEvent event) {
        String what = humanize(event.getCategory());
        String where =
                event.getLocation().getAddress() != null
                        ? event.getLocation().getAddress()
                        : event.getLocation().getDistrict();
        return where == null ? what : what + " — " + where;
    }

    private static String humanize(Category category) {
        String words = category.name().toLowerCase(Locale.ROOT).replace('_', ' ');
        return Character.toUpperCase(words.charAt(0)) + words.substring(1);
    }

    private static Instant max(Instant a, Instant b) {
        return a.isAfter(b) ? a : b;
    }
}
