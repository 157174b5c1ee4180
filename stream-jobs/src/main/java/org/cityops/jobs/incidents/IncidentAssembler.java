package org.cityops.jobs.incidents;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.cityops.jobs.fusion.IncidentChange;
import org.cityops.schemas.Action;
import org.cityops.schemas.CityLocation;
import org.cityops.schemas.Department;
import org.cityops.schemas.IncidentStatus;
import org.cityops.schemas.city.CityEvent;
import org.cityops.schemas.city.Incident;
import org.cityops.schemas.city.IncidentLink;
import org.cityops.schemas.city.IncidentReport;
import org.cityops.schemas.city.LinkKind;

/**
 * Applies fusion's decisions to an incident and derives what an incident shows from its reports:
 * departments, distinct callers, first and last report, best location, district, and severity (the
 * highest of its active reports, one higher for three or more callers or several departments). An
 * incident whose reports are all cancelled is CANCELLED. Plain Java; every change is a new version.
 */
public final class IncidentAssembler {

    private IncidentAssembler() {}

    /** The incident after the change, or null when the change concerns no incident yet. */
    public static Incident apply(Incident current, IncidentChange change) {
        if (current == null && !IncidentChange.REPORT.equals(change.kind)) {
            return null;
        }
        Incident.Builder next =
                current == null
                        ? Incident.newBuilder()
                                .setIncidentId(change.incidentId)
                                .setVersion(0)
                                .setStatus(IncidentStatus.DISCOVERED)
                                .setReports(new ArrayList<>())
                                .setLinks(new ArrayList<>())
                                .setUpdatedAt(Instant.ofEpochMilli(change.time))
                        : Incident.newBuilder(current);
        List<IncidentReport> reports = new ArrayList<>(next.getReports());
        List<IncidentLink> links = new ArrayList<>(next.getLinks());
        switch (change.kind) {
            case IncidentChange.REPORT -> {
                reports.removeIf(r -> r.getEventId().equals(change.event.getEventId()));
                reports.add(report(change.event));
            }
            case IncidentChange.REMOVE_REPORT ->
                    reports.removeIf(r -> r.getEventId().equals(change.eventId));
            case IncidentChange.LINK -> {
                LinkKind kind = LinkKind.valueOf(change.linkKind);
                boolean known =
                        links.stream()
                                .anyMatch(
                                        l ->
                                                l.getKind() == kind
                                                        && l.getIncidentId()
                                                                .equals(change.otherIncidentId));
                if (!known) {
                    links.add(
                            new IncidentLink(
                                    kind,
                                    change.otherIncidentId,
                                    Instant.ofEpochMilli(change.time),
                                    change.reason));
                }
            }
            case IncidentChange.MERGED -> next.setMergedInto(change.otherIncidentId);
            case IncidentChange.ALERT -> {
                List<String> alerts = new ArrayList<>(next.getAlertIds());
                if (!alerts.contains(change.alertId)) {
                    alerts.add(change.alertId);
                }
                next.setAlertIds(alerts)
                        .setRaisedSeverity(Math.max(next.getRaisedSeverity(), change.severity));
            }
            default -> throw new IllegalArgumentException("unknown incident change " + change.kind);
        }
        next.setReports(reports).setLinks(links).setVersion(next.getVersion() + 1);
        next.setUpdatedAt(max(next.getUpdatedAt(), Instant.ofEpochMilli(change.time)));
        if (!reports.isEmpty()) {
            derive(next, reports);
        }
        next.setStatus(status(next, reports));
        return next.build();
    }

    private static IncidentStatus status(Incident.Builder incident, List<IncidentReport> reports) {
        if (incident.getMergedInto() != null) {
            return IncidentStatus.MERGED;
        }
        boolean allCancelled =
                !reports.isEmpty()
                        && reports.stream().allMatch(r -> r.getAction() == Action.CANCEL);
        if (allCancelled) {
            return IncidentStatus.CANCELLED;
        }
        IncidentStatus current = incident.getStatus();
        return current == IncidentStatus.CANCELLED || current == IncidentStatus.UNKNOWN
                ? IncidentStatus.DISCOVERED
                : current;
    }

    private static void derive(Incident.Builder incident, List<IncidentReport> reports) {
        List<IncidentReport> active =
                reports.stream().filter(r -> r.getAction() != Action.CANCEL).toList();
        List<IncidentReport> basis = active.isEmpty() ? reports : active;
        // The incident is what its most severe reports say; among equals, what most callers say.
        Map<org.cityops.schemas.Category, Long> said = new HashMap<>();
        basis.forEach(r -> said.merge(r.getCategory(), 1L, Long::sum));
        IncidentReport top =
                basis.stream()
                        .max(
                                Comparator.comparingInt(IncidentReport::getSeverity)
                                        .thenComparing(r -> said.get(r.getCategory()))
                                        .thenComparing(
                                                IncidentReport::getReportedAt,
                                                Comparator.reverseOrder()))
                        .orElseThrow();
        Set<Department> departments = new LinkedHashSet<>();
        reports.stream()
                .sorted(Comparator.comparing(IncidentReport::getReportedAt))
                .forEach(r -> departments.add(r.getDepartment()));
        Set<String> callers = new LinkedHashSet<>();
        for (IncidentReport r : basis) {
            String phone =
                    r.getPersonalData() == null ? null : r.getPersonalData().getCallerPhone();
            callers.add(
                    phone != null
                            ? "phone:" + phone.replaceAll("\\D", "")
                            : "report:" + r.getEventId());
        }
        int severity = top.getSeverity();
        // A detection rule may have raised the incident; reports never lower it below that.
        if (callers.size() >= 3 || departments.size() >= 2) {
            severity = Math.min(5, severity + 1);
        }
        severity = Math.max(severity, incident.getRaisedSeverity());
        incident.setDepartments(new ArrayList<>(departments))
                .setSourceCount(callers.size())
                .setSeverity(severity)
                .setCategory(top.getCategory())
                .setTitle(IncidentBuilder.title(top.getCategory(), top.getLocation()))
                .setLocation(location(basis, top))
                .setFirstReportAt(
                        reports.stream()
                                .map(IncidentReport::getReportedAt)
                                .min(Comparator.naturalOrder())
                                .orElseThrow())
                .setLastReportAt(
                        reports.stream()
                                .map(IncidentReport::getReportedAt)
                                .max(Comparator.naturalOrder())
                                .orElseThrow());
    }

    /** Best estimate: the mean position of the active reports; the district most of them are in. */
    private static CityLocation location(List<IncidentReport> reports, IncidentReport top) {
        List<IncidentReport> placed =
                reports.stream().filter(r -> r.getLocation() != null).toList();
        if (placed.isEmpty() || top.getLocation() == null) {
            return placed.isEmpty() ? null : placed.get(0).getLocation();
        }
        reports = placed;
        double lat =
                reports.stream().mapToDouble(r -> r.getLocation().getLat()).average().orElseThrow();
        double lon =
                reports.stream().mapToDouble(r -> r.getLocation().getLon()).average().orElseThrow();
        Map<String, Integer> districts = new HashMap<>();
        reports.forEach(
                r -> {
                    if (r.getLocation().getDistrict() != null) {
                        districts.merge(r.getLocation().getDistrict(), 1, Integer::sum);
                    }
                });
        String district =
                districts.entrySet().stream()
                        .max(
                                Map.Entry.<String, Integer>comparingByValue()
                                        .thenComparing(
                                                e ->
                                                        e.getKey()
                                                                .equals(
                                                                        top.getLocation()
                                                                                .getDistrict())))
                        .map(Map.Entry::getKey)
                        .orElse(top.getLocation().getDistrict());
        return CityLocation.newBuilder(top.getLocation())
                .setLat(Math.round(lat * 1e6) / 1e6)
                .setLon(Math.round(lon * 1e6) / 1e6)
                .setDistrict(district)
                .build();
    }

    static IncidentReport report(CityEvent event) {
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
                .setLocation(event.getLocation())
                .build();
    }

    private static Instant max(Instant a, Instant b) {
        return a.isAfter(b) ? a : b;
    }
}
