package org.cityops.livestate;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.cityops.schemas.city.CityEvent;
import org.cityops.schemas.city.Incident;
import org.cityops.schemas.city.IncidentReport;
import org.cityops.schemas.topics.Topics;

/**
 * Counts what Kafka committed and what the live view holds against each other — after a failure,
 * nothing may be lost or doubled: every event once, every incident version once and none missing,
 * every event in exactly one incident, the live view at each incident's latest committed version
 * and holding nothing Kafka never committed. The fault drills assert it; {@code ./cityops audit}
 * runs it against a running installation.
 */
public final class ChangelogAudit {

    /** The counts; {@link #clean()} when every "should be zero" count is zero. */
    public record Result(
            long events,
            long duplicateEvents,
            long incidents,
            long versions,
            long duplicateVersions,
            long missingVersions,
            long compactedAway,
            long eventsInNoIncident,
            long eventsInTwoIncidents,
            long liveViewStale,
            long liveViewNeverCommitted) {

        public boolean clean() {
            return duplicateEvents == 0
                    && duplicateVersions == 0
                    && missingVersions == 0
                    && eventsInNoIncident == 0
                    && eventsInTwoIncidents == 0
                    && liveViewStale == 0
                    && liveViewNeverCommitted == 0;
        }

        @Override
        public String toString() {
            return String.format(
                    java.util.Locale.ROOT,
                    "%,d events (duplicates %d), %,d incidents, %,d versions: duplicate versions %d,"
                            + " missing versions %d (compacted away %,d), events in no incident %d,"
                            + " in two %d; live view stale or missing %d, never committed %d",
                    events,
                    duplicateEvents,
                    incidents,
                    versions,
                    duplicateVersions,
                    missingVersions,
                    compactedAway,
                    eventsInNoIncident,
                    eventsInTwoIncidents,
                    liveViewStale,
                    liveViewNeverCommitted);
        }
    }

    /**
     * One record of {@code city.incidents}: an incident at a version, with the reports it holds.
     */
    record Version(String incidentId, long version, List<String> reports) {}

    private ChangelogAudit() {}

    public static Result run(String kafka, Topics topics, LiveView live) {
        List<String> events = new ArrayList<>();
        try (CommittedLog<CityEvent> log =
                CommittedLog.fromBeginning(kafka, topics.events().name(), CityEvent.class)) {
            log.readToEnd(e -> events.add(e.getEventId()));
        }
        List<Version> versions = new ArrayList<>();
        try (CommittedLog<Incident> log =
                CommittedLog.fromBeginning(kafka, topics.incidents().name(), Incident.class)) {
            log.readToEnd(
                    i ->
                            versions.add(
                                    new Version(
                                            i.getIncidentId(),
                                            i.getVersion(),
                                            i.getReports().stream()
                                                    .map(IncidentReport::getEventId)
                                                    .toList())));
        }
        return count(events, versions, live.incidentVersions());
    }

    /**
     * The counts, from the event ids in {@code city.events}, the records of {@code city.incidents}
     * in log order, and what the live view holds.
     */
    static Result count(
            List<String> events, List<Version> all, Map<String, LiveView.HeldIncident> held) {
        long duplicateEvents = events.size() - new HashSet<>(events).size();

        Map<String, Version> latest = new HashMap<>();
        Set<String> versions = new HashSet<>();
        long duplicateVersions = 0;
        for (Version v : all) {
            if (!versions.add(v.incidentId() + "@" + v.version())) {
                duplicateVersions++;
            }
            latest.merge(v.incidentId(), v, (a, b) -> a.version() >= b.version() ? a : b);
        }
        // city.incidents is compacted: the log cleaner removes an incident's older versions (those
        // in cleaned segments), never the newer ones after them. So a version is missing when it
        // is absent between the oldest version still there and the latest; older ones are
        // counted as compacted away.
        Map<String, Long> oldest = new HashMap<>();
        for (Version v : all) {
            oldest.merge(v.incidentId(), v.version(), Math::min);
        }
        long missingVersions = 0;
        long compactedAway = 0;
        Map<String, Integer> homes = new HashMap<>();
        for (Version incident : latest.values()) {
            long first = oldest.get(incident.incidentId());
            compactedAway += first - 1;
            for (long n = first; n <= incident.version(); n++) {
                if (!versions.contains(incident.incidentId() + "@" + n)) {
                    missingVersions++;
                }
            }
            incident.reports().forEach(r -> homes.merge(r, 1, Integer::sum));
        }
        long homeless = events.stream().distinct().filter(e -> !homes.containsKey(e)).count();
        long twice = homes.values().stream().filter(n -> n > 1).count();

        long neverCommitted = held.keySet().stream().filter(id -> !latest.containsKey(id)).count();
        long stale =
                latest.values().stream()
                        .filter(
                                v -> {
                                    LiveView.HeldIncident h = held.get(v.incidentId());
                                    return h == null || h.version() != v.version();
                                })
                        .count();
        return new Result(
                events.size(),
                duplicateEvents,
                latest.size(),
                versions.size(),
                duplicateVersions,
                missingVersions,
                compactedAway,
                homeless,
                twice,
                stale,
                neverCommitted);
    }

    /** Every incident's latest committed version: what a screen should hold once all is settled. */
    public static Map<String, Long> latestVersions(String kafka, Topics topics) {
        Map<String, Long> latest = new HashMap<>();
        try (CommittedLog<Incident> log =
                CommittedLog.fromBeginning(kafka, topics.incidents().name(), Incident.class)) {
            log.readToEnd(i -> latest.merge(i.getIncidentId(), i.getVersion(), Math::max));
        }
        return latest;
    }

    /**
     * {@code ChangelogAudit <kafka> <live view target> [topic prefix]}: prints the counts; exits 1
     * when something was lost or doubled.
     */
    public static void main(String[] args) {
        if (args.length < 2) {
            System.err.println("usage: ChangelogAudit <kafka> <live view target> [topic prefix]");
            System.exit(2);
        }
        Topics topics = args.length > 2 ? Topics.withPrefix(args[2]) : Topics.standard();
        Result result;
        try (LiveView live = LiveViews.open(args[1])) {
            result = run(args[0], topics, live);
        }
        System.out.println(result);
        System.exit(result.clean() ? 0 : 1);
    }
}
