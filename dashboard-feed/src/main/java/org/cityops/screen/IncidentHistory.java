package org.cityops.screen;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.cityops.livestate.CommittedLog;
import org.cityops.livestate.Documents;
import org.cityops.schemas.city.Incident;

/**
 * What the city looked like at any past moment, from the Kafka history ({@code city.incidents},
 * read committed): every version of every incident, indexed by the city time it was written ({@code
 * updatedAt}); the state at T is each incident's last version at or before T. Read from the
 * beginning on first use, then caught up on each query. Not thread-safe: used from one worker.
 *
 * <p>Holds every version's document (about 2 KB each): fine for days of a city's incidents; a
 * longer review belongs in a store indexed by time (noted in docs/screen-protocol.md).
 */
final class IncidentHistory implements AutoCloseable {

    private final String bootstrap;
    private final String topic;
    private CommittedLog<Incident> log; // opened on first use, on a worker: it blocks

    /** Per incident: city time of each version → its live-view document. */
    private final Map<String, TreeMap<Long, String>> versions = new HashMap<>();

    IncidentHistory(String bootstrap, String topic) {
        this.bootstrap = bootstrap;
        this.topic = topic;
    }

    /** The incidents as they stood at {@code at}, newest report first (at most {@code limit}). */
    List<String> at(Instant at, int limit) {
        catchUp();
        long t = at.toEpochMilli();
        List<Map.Entry<Long, String>> found = new ArrayList<>();
        for (TreeMap<Long, String> incident : versions.values()) {
            Map.Entry<Long, String> then = incident.floorEntry(t);
            if (then != null) {
                found.add(then);
            }
        }
        found.sort(Comparator.comparing((Map.Entry<Long, String> e) -> -e.getKey()));
        return found.stream().limit(limit).map(Map.Entry::getValue).toList();
    }

    /** The span of city time the history covers, or null when it is empty. */
    Instant[] span() {
        catchUp();
        long first = Long.MAX_VALUE;
        long last = Long.MIN_VALUE;
        for (TreeMap<Long, String> incident : versions.values()) {
            first = Math.min(first, incident.firstKey());
            last = Math.max(last, incident.lastKey());
        }
        return versions.isEmpty()
                ? null
                : new Instant[] {Instant.ofEpochMilli(first), Instant.ofEpochMilli(last)};
    }

    private void catchUp() {
        if (log == null) {
            log = CommittedLog.fromBeginning(bootstrap, topic, Incident.class);
        }
        log.readToEnd(
                incident ->
                        versions.computeIfAbsent(incident.getIncidentId(), id -> new TreeMap<>())
                                .put(
                                        incident.getUpdatedAt().toEpochMilli(),
                                        Documents.incidentWrite(incident).document()));
    }

    @Override
    public void close() {
        if (log != null) {
            log.close();
        }
    }
}
