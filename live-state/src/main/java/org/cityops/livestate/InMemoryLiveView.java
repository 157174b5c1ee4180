package org.cityops.livestate;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * The live view in this JVM's memory, with the same behaviour as {@link RedisLiveView}: versioned
 * idempotent writes, a bounded delta stream with resumable ids, bounded dead letters. Used by the
 * local stack when no redis-server is installed; everything in it is lost when the JVM exits.
 */
public final class InMemoryLiveView implements LiveView {

    private record StoredIncident(LiveWrite.IncidentWrite write, String run) {}

    private final Map<String, StoredIncident> incidents = new HashMap<>();
    private final Map<String, LiveWrite.FeedHealthWrite> feeds = new TreeMap<>();
    private final Map<String, LiveWrite.WarningWrite> warnings = new TreeMap<>();
    private final Map<String, TreeMap<String, LiveWrite.DeadLetterWrite>> deadLetters =
            new HashMap<>();
    private final ArrayDeque<Delta> deltas = new ArrayDeque<>();
    private final TreeMap<String, LiveWrite.AlertWrite> alerts = new TreeMap<>();
    private final TreeMap<String, LiveWrite.EscalationWrite> escalations = new TreeMap<>();
    private final TreeMap<String, LiveWrite.AuditWrite> audit = new TreeMap<>();
    private final Map<String, LiveWrite.RuleStatusWrite> ruleParts = new TreeMap<>();
    private final Map<String, LiveWrite.KpiWrite> kpis = new TreeMap<>();
    private long lastMillis;
    private long lastSequence;

    @Override
    public synchronized void apply(List<LiveWrite> writes, String run) {
        boolean appended = false;
        for (LiveWrite write : writes) {
            if (write instanceof LiveWrite.IncidentWrite w) {
                StoredIncident current = incidents.get(w.incidentId());
                if (current == null
                        || current.write().version() < w.version()
                        || (!run.equals(COMMITTED) && !run.equals(current.run()))) {
                    incidents.put(w.incidentId(), new StoredIncident(w, run));
                    boolean superseding =
                            current != null && current.write().version() >= w.version();
                    appended |=
                            append(
                                    new Delta(
                                            nextId(),
                                            superseding ? Delta.CORRECTION : Delta.INCIDENT,
                                            w.incidentId(),
                                            w.version(),
                                            w.document()));
                }
            } else if (write instanceof LiveWrite.FeedHealthWrite w) {
                var current = feeds.get(w.feed());
                if (current == null || current.version() < w.version()) {
                    feeds.put(w.feed(), w);
                }
            } else if (write instanceof LiveWrite.WarningWrite w) {
                var current = warnings.get(w.warningId());
                if (current == null || current.version() < w.version()) {
                    warnings.put(w.warningId(), w);
                    if (w.actual()) {
                        appended |=
                                append(
                                        new Delta(
                                                nextId(),
                                                Delta.WARNING,
                                                w.warningId(),
                                                w.version(),
                                                w.document()));
                    }
                }
            } else if (write instanceof LiveWrite.AlertWrite w) {
                if (!alerts.containsKey(w.alertId())) {
                    alerts.put(w.alertId(), w);
                    while (alerts.size() > RedisLiveView.ALERTS_KEPT) {
                        alerts.values().stream()
                                .min(
                                        java.util.Comparator.comparingLong(
                                                LiveWrite.AlertWrite::timeMillis))
                                .ifPresent(oldest -> alerts.remove(oldest.alertId()));
                    }
                    if (!w.dryRun()) {
                        appended |=
                                append(
                                        new Delta(
                                                nextId(),
                                                Delta.ALERT,
                                                w.alertId(),
                                                1,
                                                w.document()));
                    }
                }
            } else if (write instanceof LiveWrite.AuditWrite w) {
                audit.putIfAbsent(w.auditId(), w);
                while (audit.size() > RedisLiveView.AUDIT_KEPT) {
                    audit.values().stream()
                            .min(
                                    java.util.Comparator.comparingLong(
                                            LiveWrite.AuditWrite::timeMillis))
                            .ifPresent(oldest -> audit.remove(oldest.auditId()));
                }
            } else if (write instanceof LiveWrite.EscalationWrite w) {
                if (escalations.putIfAbsent(w.escalationId(), w) == null) {
                    while (escalations.size() > RedisLiveView.ALERTS_KEPT) {
                        escalations.values().stream()
                                .min(
                                        java.util.Comparator.comparingLong(
                                                LiveWrite.EscalationWrite::timeMillis))
                                .ifPresent(oldest -> escalations.remove(oldest.escalationId()));
                    }
                    appended |=
                            append(
                                    new Delta(
                                            nextId(),
                                            Delta.ESCALATION,
                                            w.escalationId(),
                                            1,
                                            w.document()));
                }
            } else if (write instanceof LiveWrite.KpiWrite w) {
                String key = w.group() + "|" + w.day();
                var current = kpis.get(key);
                if (current == null || current.version() < w.version()) {
                    kpis.put(key, w);
                }
            } else if (write instanceof LiveWrite.RuleStatusWrite w) {
                String key = w.ruleId() + ":" + w.part();
                var current = ruleParts.get(key);
                if (current == null || current.version() < w.version()) {
                    ruleParts.put(key, w);
                }
            } else if (write instanceof LiveWrite.DeadLetterWrite w) {
                var byId = deadLetters.computeIfAbsent(w.feed(), f -> new TreeMap<>());
                if (!byId.containsKey(w.deadLetterId())) {
                    byId.put(w.deadLetterId(), w);
                    while (byId.size() > RedisLiveView.DEAD_LETTERS_KEPT) {
                        byId.values().stream()
                                .min(deadLetterOrder())
                                .ifPresent(oldest -> byId.remove(oldest.deadLetterId()));
                    }
                }
            }
        }
        if (appended) {
            notifyAll();
        }
    }

    private boolean append(Delta delta) {
        deltas.addLast(delta);
        while (deltas.size() > RedisLiveView.DELTA_STREAM_MAX) {
            deltas.removeFirst();
        }
        return true;
    }

    private String nextId() {
        long now = System.currentTimeMillis();
        if (now > lastMillis) {
            lastMillis = now;
            lastSequence = 0;
        } else {
            lastSequence++;
        }
        return lastMillis + "-" + lastSequence;
    }

    private static Comparator<LiveWrite.DeadLetterWrite> deadLetterOrder() {
        return Comparator.comparingLong(LiveWrite.DeadLetterWrite::timeMillis)
                .thenComparing(LiveWrite.DeadLetterWrite::deadLetterId);
    }

    @Override
    public synchronized IncidentPage incidents(IncidentQuery query) {
        List<LiveWrite.IncidentWrite> matching =
                incidents.values().stream()
                        .map(StoredIncident::write)
                        .filter(w -> query.status() == null || query.status().equals(w.status()))
                        .filter(
                                w ->
                                        query.department() == null
                                                || w.departments().contains(query.department()))
                        .filter(
                                w ->
                                        query.visibleToDepartment() == null
                                                || w.departments()
                                                        .contains(query.visibleToDepartment()))
                        .filter(
                                w ->
                                        query.district() == null
                                                || query.district().equals(w.district()))
                        .sorted(
                                Comparator.comparingLong(LiveWrite.IncidentWrite::sortTimeMillis)
                                        .reversed()
                                        .thenComparing(
                                                LiveWrite.IncidentWrite::incidentId,
                                                Comparator.reverseOrder()))
                        .toList();
        List<String> page =
                matching.stream()
                        .skip(query.offset())
                        .limit(query.limit())
                        .map(LiveWrite.IncidentWrite::document)
                        .toList();
        return new IncidentPage(page, matching.size());
    }

    @Override
    public synchronized Optional<String> incident(String incidentId) {
        return Optional.ofNullable(incidents.get(incidentId)).map(s -> s.write().document());
    }

    @Override
    public synchronized List<String> warnings() {
        return warnings.values().stream().map(LiveWrite.WarningWrite::document).toList();
    }

    @Override
    public synchronized List<String> feedHealth() {
        return feeds.values().stream().map(LiveWrite.FeedHealthWrite::document).toList();
    }

    @Override
    public synchronized List<String> deadLetters(String feed, int limit) {
        var byId = deadLetters.getOrDefault(feed, new TreeMap<>());
        return byId.values().stream()
                .sorted(deadLetterOrder().reversed())
                .limit(limit)
                .map(LiveWrite.DeadLetterWrite::document)
                .toList();
    }

    @Override
    public synchronized List<String> alerts(int limit, boolean includeDryRun) {
        return alerts.values().stream()
                .filter(a -> includeDryRun || !a.dryRun())
                .sorted(
                        java.util.Comparator.comparingLong(LiveWrite.AlertWrite::timeMillis)
                                .reversed())
                .limit(limit)
                .map(LiveWrite.AlertWrite::document)
                .toList();
    }

    @Override
    public synchronized List<String> escalations(int limit) {
        return escalations.values().stream()
                .sorted(
                        java.util.Comparator.comparingLong(LiveWrite.EscalationWrite::timeMillis)
                                .reversed())
                .limit(limit)
                .map(LiveWrite.EscalationWrite::document)
                .toList();
    }

    @Override
    public synchronized List<String> kpis(String groupPrefix, String fromDay, String toDay) {
        return kpis.values().stream()
                .filter(w -> w.group().startsWith(groupPrefix))
                .filter(w -> w.day().compareTo(fromDay) >= 0 && w.day().compareTo(toDay) <= 0)
                .map(LiveWrite.KpiWrite::document)
                .toList();
    }

    @Override
    public synchronized List<String> rules() {
        java.util.Set<String> ids = new java.util.TreeSet<>();
        ruleParts.values().forEach(w -> ids.add(w.ruleId()));
        List<String> docs = new ArrayList<>();
        for (String id : ids) {
            var definition = ruleParts.get(id + ":definition");
            var metrics = ruleParts.get(id + ":metrics");
            docs.add(
                    Documents.ruleDocument(
                            id,
                            definition == null ? null : definition.document(),
                            metrics == null ? null : metrics.document()));
        }
        return docs;
    }

    @Override
    public synchronized String deltaTip() {
        return deltas.isEmpty() ? StreamIds.BEGINNING : deltas.getLast().streamId();
    }

    @Override
    public synchronized DeltaBatch deltasAfter(String afterId, int max, long blockMillis) {
        long deadline = System.currentTimeMillis() + blockMillis;
        boolean gap =
                !deltas.isEmpty()
                        && !afterId.equals(StreamIds.BEGINNING)
                        && StreamIds.compare(afterId, deltas.getFirst().streamId()) < 0;
        while (true) {
            List<Delta> out = new ArrayList<>();
            for (Delta delta : deltas) {
                if (StreamIds.compare(delta.streamId(), afterId) > 0) {
                    out.add(delta);
                    if (out.size() == max) {
                        break;
                    }
                }
            }
            long wait = deadline - System.currentTimeMillis();
            if (!out.isEmpty() || wait <= 0) {
                return new DeltaBatch(out, gap);
            }
            try {
                wait(wait);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return new DeltaBatch(List.of(), gap);
            }
        }
    }

    private final java.util.Map<String, Once> once = new java.util.concurrent.ConcurrentHashMap<>();

    private record Once(String value, long expiresAtNanos) {}

    @Override
    public Optional<String> claim(String key, String marker, long ttlSeconds) {
        long now = System.nanoTime();
        Once mine = new Once(marker, now + ttlSeconds * 1_000_000_000L);
        Once held =
                once.compute(
                        key, (k, old) -> old == null || old.expiresAtNanos() <= now ? mine : old);
        return held == mine ? Optional.empty() : Optional.of(held.value());
    }

    @Override
    public synchronized void announceRebuild(String epoch) {
        append(new Delta(nextId(), Delta.REBUILT, epoch, 0, ""));
        notifyAll();
    }

    @Override
    public Optional<String> recall(String key) {
        Once held = once.get(key);
        return held == null || held.expiresAtNanos() <= System.nanoTime()
                ? Optional.empty()
                : Optional.of(held.value());
    }

    @Override
    public synchronized Map<String, HeldIncident> incidentVersions() {
        Map<String, HeldIncident> versions = new HashMap<>();
        incidents.forEach(
                (id, stored) ->
                        versions.put(id, new HeldIncident(stored.write().version(), stored.run())));
        return versions;
    }

    @Override
    public synchronized boolean correctIncident(
            String incidentId, HeldIncident expected, LiveWrite.IncidentWrite committed) {
        StoredIncident current = incidents.get(incidentId);
        if (current == null
                || current.write().version() != expected.version()
                || !current.run().equals(expected.run())) {
            return false;
        }
        if (committed == null) {
            incidents.remove(incidentId);
            append(new Delta(nextId(), Delta.WITHDRAWN, incidentId, expected.version(), ""));
        } else {
            incidents.put(incidentId, new StoredIncident(committed, COMMITTED));
            append(
                    new Delta(
                            nextId(),
                            Delta.CORRECTION,
                            incidentId,
                            committed.version(),
                            committed.document()));
        }
        notifyAll();
        return true;
    }

    @Override
    public void remember(String key, String value, long ttlSeconds) {
        once.put(key, new Once(value, System.nanoTime() + ttlSeconds * 1_000_000_000L));
    }

    @Override
    public void release(String key) {
        once.remove(key);
    }

    @Override
    public synchronized List<String> audit(String incidentId, int limit) {
        return audit.values().stream()
                .filter(a -> incidentId == null || incidentId.equals(a.incidentId()))
                .sorted(
                        java.util.Comparator.comparingLong(LiveWrite.AuditWrite::timeMillis)
                                .reversed())
                .limit(
                        incidentId == null
                                ? limit
                                : Math.min(limit, RedisLiveView.AUDIT_PER_INCIDENT))
                .map(LiveWrite.AuditWrite::document)
                .toList();
    }

    @Override
    public boolean ping() {
        return true;
    }

    @Override
    public String describe() {
        return "in-memory live view (no redis-server: lost when this process exits)";
    }

    @Override
    public void close() {}
}
