package org.cityops.jobs.rules;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.zip.CRC32;
import org.cityops.jobs.fusion.IncidentChange;
import org.cityops.schemas.Action;
import org.cityops.schemas.Category;
import org.cityops.schemas.CityLocation;
import org.cityops.schemas.Department;
import org.cityops.schemas.Feed;
import org.cityops.schemas.city.Alert;
import org.cityops.schemas.city.CityEvent;
import org.cityops.schemas.rules.Rule;

/**
 * Turns a firing into its alert and, unless the rule is a dry run, the incident changes it causes.
 */
public final class Alerts {

    private Alerts() {}

    /** Deterministic: the same firing after a restart is the same alert. */
    public static String alertId(RuleEngine.Firing firing) {
        List<String> ids = firing.evidence().stream().map(e -> e.eventId).sorted().toList();
        CRC32 crc = new CRC32();
        crc.update(String.join(",", ids).getBytes(StandardCharsets.UTF_8));
        return "ALR-"
                + firing.rule().id()
                + "-v"
                + firing.rule().version()
                + "-"
                + Long.toHexString(crc.getValue());
    }

    public static Alert alert(RuleEngine.Firing firing) {
        Rule rule = firing.rule();
        Set<String> incidents = new LinkedHashSet<>();
        firing.evidence().forEach(e -> incidents.add(e.incidentId));
        String created =
                rule.action().type().equals("createIncident") && !rule.dryRun()
                        ? createdIncidentId(firing)
                        : null;
        return Alert.newBuilder()
                .setAlertId(alertId(firing))
                .setRuleId(rule.id())
                .setRuleVersion(rule.version())
                .setRuleKind(rule.kind().name())
                .setAction(rule.action().type())
                .setSeverity(rule.action().severity())
                .setMessage(rule.action().message())
                .setDepartment(
                        rule.action().department() == null
                                ? null
                                : Department.valueOf(rule.action().department()))
                .setDryRun(rule.dryRun())
                .setEvidenceEventIds(firing.evidence().stream().map(e -> e.eventId).toList())
                .setEvidenceIncidentIds(new ArrayList<>(incidents))
                .setIncidentId(created)
                .setLocation(location(firing))
                .setFiredAt(Instant.ofEpochMilli(firing.firedAt()))
                .build();
    }

    /** What the firing does to incidents: none for a dry run. */
    public static List<IncidentChange> actions(RuleEngine.Firing firing, Alert alert) {
        List<IncidentChange> changes = new ArrayList<>();
        Rule rule = firing.rule();
        if (rule.dryRun()) {
            return changes;
        }
        int floor = rule.action().type().equals("raiseSeverity") ? rule.action().severity() : 0;
        for (String incidentId : alert.getEvidenceIncidentIds()) {
            changes.add(
                    IncidentChange.alert(incidentId, alert.getAlertId(), floor, firing.firedAt()));
        }
        if (alert.getIncidentId() != null) {
            changes.add(
                    IncidentChange.report(alert.getIncidentId(), syntheticReport(firing, alert)));
            for (String incidentId : alert.getEvidenceIncidentIds()) {
                changes.add(
                        IncidentChange.link(
                                alert.getIncidentId(),
                                "RELATED",
                                incidentId,
                                firing.firedAt(),
                                rule.action().message()));
                changes.add(
                        IncidentChange.link(
                                incidentId,
                                "RELATED",
                                alert.getIncidentId(),
                                firing.firedAt(),
                                rule.action().message()));
            }
            changes.add(
                    IncidentChange.alert(
                            alert.getIncidentId(),
                            alert.getAlertId(),
                            rule.action().severity(),
                            firing.firedAt()));
        }
        return changes;
    }

    private static String createdIncidentId(RuleEngine.Firing firing) {
        return "INC-RULE-" + alertId(firing).substring(4);
    }

    /** The report a rule files when it creates an incident: the command centre's own. */
    private static CityEvent syntheticReport(RuleEngine.Firing firing, Alert alert) {
        Rule rule = firing.rule();
        RuleEvent top =
                firing.evidence().stream()
                        .max(java.util.Comparator.comparingInt((RuleEvent e) -> e.severity))
                        .orElseThrow();
        return CityEvent.newBuilder()
                .setEventId("cityops.rules/" + alert.getAlertId())
                .setFeed(Feed.UNKNOWN)
                .setSourceId(alert.getAlertId())
                .setAction(Action.NEW)
                .setDepartment(
                        rule.action().department() == null
                                ? Department.unknown
                                : Department.valueOf(rule.action().department()))
                .setCategory(Category.valueOf(top.category))
                .setOriginalCategory("rule " + rule.id())
                .setSeverity(rule.action().severity())
                .setEventTime(Instant.ofEpochMilli(firing.firedAt()))
                .setLocation(alert.getLocation())
                .setDescription(rule.action().message())
                .setAttributes(
                        Map.of("ruleId", rule.id(), "ruleVersion", String.valueOf(rule.version())))
                .setFingerprint(alert.getAlertId().hashCode())
                .build();
    }

    private static CityLocation location(RuleEngine.Firing firing) {
        double lat = firing.evidence().stream().mapToDouble(e -> e.lat).average().orElseThrow();
        double lon = firing.evidence().stream().mapToDouble(e -> e.lon).average().orElseThrow();
        String district = firing.evidence().get(0).district;
        return CityLocation.newBuilder()
                .setLat(Math.round(lat * 1e6) / 1e6)
                .setLon(Math.round(lon * 1e6) / 1e6)
                .setDistrict(district)
                .setDistrictAssigned(false)
                .build();
    }
}
