package org.cityops.jobs.fusion;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.cityops.schemas.city.CityEvent;
import org.cityops.schemas.city.FeedbackCommand;

/**
 * The engine's store in plain maps: for unit tests and benchmarks of the engine (the job uses Flink
 * state, {@link FlinkFusionStore}).
 */
public final class InMemoryFusionStore implements FusionStore {

    final Map<String, Cluster> clusters = new HashMap<>();
    final Map<String, String> membership = new HashMap<>();
    final Map<String, CityEvent> events = new HashMap<>();
    final Map<String, Long> commands = new HashMap<>();
    final Map<String, List<FeedbackCommand>> pending = new java.util.LinkedHashMap<>();

    @Override
    public Cluster cluster(String id) {
        return clusters.get(id);
    }

    @Override
    public void putCluster(Cluster c) {
        clusters.put(c.incidentId, c);
    }

    @Override
    public void removeCluster(String id) {
        clusters.remove(id);
    }

    @Override
    public Iterable<Cluster> clusters() {
        return List.copyOf(clusters.values());
    }

    @Override
    public String incidentOf(String eventId) {
        return membership.get(eventId);
    }

    @Override
    public void putMembership(String eventId, String incidentId) {
        membership.put(eventId, incidentId);
    }

    @Override
    public void removeMembership(String eventId) {
        membership.remove(eventId);
    }

    @Override
    public CityEvent event(String eventId) {
        return events.get(eventId);
    }

    @Override
    public void putEvent(CityEvent event) {
        events.put(event.getEventId(), event);
    }

    @Override
    public void removeEvent(String eventId) {
        events.remove(eventId);
    }

    @Override
    public boolean seenCommand(String id, long forgetAt) {
        return commands.putIfAbsent(id, forgetAt) != null;
    }

    @Override
    public void forgetCommandsBefore(long time) {
        commands.values().removeIf(t -> t <= time);
    }

    @Override
    public void addPendingStatus(String eventId, FeedbackCommand command) {
        pending.computeIfAbsent(eventId, e -> new java.util.ArrayList<>()).add(command);
    }

    @Override
    public List<FeedbackCommand> takePendingStatuses(String eventId) {
        List<FeedbackCommand> waiting = pending.remove(eventId);
        return waiting == null ? List.of() : waiting;
    }

    @Override
    public List<String> reportsAwaited() {
        return List.copyOf(pending.keySet());
    }

    @Override
    public void compact() {}
}
