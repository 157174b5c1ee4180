package org.cityops.jobs.fusion;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.flink.api.common.state.MapState;
import org.cityops.schemas.city.CityEvent;
import org.cityops.schemas.city.FeedbackCommand;

/** {@link FusionStore} over the fusion function's keyed map states. */
final class FlinkFusionStore implements FusionStore {

    private final MapState<String, Cluster> clusters;
    private final MapState<String, String> membership;
    private final MapState<String, CityEvent> events;
    private final MapState<String, Long> commands;
    private final MapState<String, List<FeedbackCommand>> pending;

    FlinkFusionStore(
            MapState<String, Cluster> clusters,
            MapState<String, String> membership,
            MapState<String, CityEvent> events,
            MapState<String, Long> commands,
            MapState<String, List<FeedbackCommand>> pending) {
        this.clusters = clusters;
        this.membership = membership;
        this.events = events;
        this.commands = commands;
        this.pending = pending;
    }

    @Override
    public void addPendingStatus(String eventId, FeedbackCommand command) {
        run(
                () -> {
                    List<FeedbackCommand> waiting = pending.get(eventId);
                    List<FeedbackCommand> updated =
                            waiting == null ? new ArrayList<>() : new ArrayList<>(waiting);
                    updated.add(command);
                    pending.put(eventId, updated);
                });
    }

    @Override
    public List<FeedbackCommand> takePendingStatuses(String eventId) {
        return call(
                () -> {
                    List<FeedbackCommand> waiting = pending.get(eventId);
                    if (waiting == null) {
                        return List.of();
                    }
                    pending.remove(eventId);
                    return waiting;
                });
    }

    @Override
    public List<String> reportsAwaited() {
        return call(
                () -> {
                    List<String> all = new ArrayList<>();
                    for (String eventId : pending.keys()) {
                        all.add(eventId);
                    }
                    return all;
                });
    }

    @Override
    public Cluster cluster(String incidentId) {
        return call(() -> clusters.get(incidentId));
    }

    @Override
    public void putCluster(Cluster cluster) {
        run(() -> clusters.put(cluster.incidentId, cluster));
    }

    @Override
    public void removeCluster(String incidentId) {
        run(() -> clusters.remove(incidentId));
    }

    @Override
    public Iterable<Cluster> clusters() {
        return call(
                () -> {
                    List<Cluster> all = new ArrayList<>();
                    for (Cluster c : clusters.values()) {
                        all.add(c);
                    }
                    return all;
                });
    }

    @Override
    public String incidentOf(String eventId) {
        return call(() -> membership.get(eventId));
    }

    @Override
    public void putMembership(String eventId, String incidentId) {
        run(() -> membership.put(eventId, incidentId));
    }

    @Override
    public void removeMembership(String eventId) {
        run(() -> membership.remove(eventId));
    }

    @Override
    public CityEvent event(String eventId) {
        return call(() -> events.get(eventId));
    }

    @Override
    public void putEvent(CityEvent event) {
        run(() -> events.put(event.getEventId(), event));
    }

    @Override
    public void removeEvent(String eventId) {
        run(() -> events.remove(eventId));
    }

    @Override
    public boolean seenCommand(String commandId, long forgetAt) {
        return call(
                () -> {
                    if (commands.contains(commandId)) {
                        return true;
                    }
                    commands.put(commandId, forgetAt);
                    return false;
                });
    }

    @Override
    public void forgetCommandsBefore(long time) {
        run(
                () -> {
                    List<String> old = new ArrayList<>();
                    for (Map.Entry<String, Long> e : commands.entries()) {
                        if (e.getValue() <= time) {
                            old.add(e.getKey());
                        }
                    }
                    for (String id : old) {
                        commands.remove(id);
                    }
                });
    }

    @Override
    public void compact() {
        run(
                () -> {
                    if (clusters.isEmpty()) {
                        clusters.clear();
                    }
                    if (membership.isEmpty()) {
                        membership.clear();
                    }
                    if (events.isEmpty()) {
                        events.clear();
                    }
                    if (commands.isEmpty()) {
                        commands.clear();
                    }
                    if (pending.isEmpty()) {
                        pending.clear();
                    }
                });
    }

    private interface StateCall<T> {
        T call() throws Exception;
    }

    private interface StateRun {
        void run() throws Exception;
    }

    private static <T> T call(StateCall<T> call) {
        try {
            return call.call();
        } catch (Exception e) {
            throw new IllegalStateException("fusion state access failed", e);
        }
    }

    private static void run(StateRun run) {
        try {
            run.run();
        } catch (Exception e) {
            throw new IllegalStateException("fusion state access failed", e);
        }
    }
}
