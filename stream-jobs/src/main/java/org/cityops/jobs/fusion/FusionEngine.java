package org.cityops.jobs.fusion;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeSet;
import java.util.zip.CRC32;
import org.cityops.jobs.incidents.IncidentBuilder;
import org.cityops.jobs.ingest.Normaliser;
import org.cityops.schemas.Action;
import org.cityops.schemas.Category;
import org.cityops.schemas.city.CityEvent;
import org.cityops.schemas.city.CommandKind;
import org.cityops.schemas.city.FeedbackCommand;
import org.cityops.schemas.contract.FeedSpec;
import org.cityops.schemas.geo.Geo;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Decides which incident each report belongs to. Plain Java; the Flink function around it only
 * stores its state and sets the timers it asks for.
 *
 * <p>A new report fuses into the open cluster holding a compatible report (per {@link
 * FusionConfig}) within that pair's radius and time window — the nearest, if several. Otherwise it
 * opens an incident of its own. A report arriving more than the allowed lateness behind the
 * watermark never fuses: it opens a new incident linked RELATED to the one it would have joined.
 * UPDATE and CANCEL go to the report's incident. Operators' MERGE and SPLIT move reports between
 * incidents and link them.
 */
public final class FusionEngine {

    private static final Logger LOG = LoggerFactory.getLogger(FusionEngine.class);

    /** How long a closed cluster is remembered for updates, merges, splits and late reports. */
    public static final long REMEMBER_MILLIS = 6 * 3600 * 1000L;

    static final double CELL_METERS = 250;

    /** How near a road report must be to a congested segment's midpoint to be related to it. */
    static final double CONGESTION_LINK_METERS = 300;

    private static final java.util.Set<Category> ON_THE_ROAD =
            java.util.EnumSet.of(
                    Category.TRAFFIC_COLLISION,
                    Category.TRAFFIC_OBSTRUCTION,
                    Category.ROAD_CLOSURE);

    private final FusionConfig config;
    private final FusionStore store;
    private GridIndex index;

    /**
     * How long (event time) a unit status waits for the report it answers. The report was received
     * before any unit was sent, so once event time is this far past the status the report is not
     * coming (it was rejected, or never sent).
     */
    public static final long PENDING_STATUS_MILLIS = 15 * 60 * 1000L;

    /**
     * What one step decided: incident changes to emit, timers to set or delete, and unit statuses
     * whose report never came (with why).
     */
    public record Step(
            List<IncidentChange> changes,
            TreeSet<Long> timersToAdd,
            TreeSet<Long> timersToDelete,
            List<Unresolved> unresolved) {
        Step() {
            this(new ArrayList<>(), new TreeSet<>(), new TreeSet<>(), new ArrayList<>());
        }
    }

    /** A unit status no incident could be found for. */
    public record Unresolved(FeedbackCommand command, String reason) {}

    /** True for a department system's unit status: addressed to a report, not an incident. */
    public static boolean isUnitStatus(FeedbackCommand command) {
        return command.getReportFeed() != null && command.getReportId() != null;
    }

    public FusionEngine(FusionConfig config, FusionStore store) {
        this.config = config;
        this.store = store;
    }

    private GridIndex index() {
        if (index == null) {
            // Rebuilt from state after a restore: the index itself is never checkpointed.
            index = new GridIndex(CELL_METERS, 37.77);
            for (Cluster cluster : store.clusters()) {
                cluster.points.forEach(p -> index.add(cluster.incidentId, p.lat, p.lon));
            }
        }
        return index;
    }

    public Step onEvent(CityEvent event, long watermark) {
        Step step = new Step();
        String known = store.incidentOf(event.getEventId());
        store.putEvent(event);
        if (known != null) {
            revise(known, event, step);
            return step;
        }
        long time = event.getEventTime().toEpochMilli();
        boolean late =
                watermark != Long.MIN_VALUE && time < watermark - config.allowedLatenessMillis();
        Cluster match = bestMatch(event, watermark, !late);
        Cluster cluster;
        if (match != null && !late) {
            cluster = match;
        } else {
            cluster = new Cluster(IncidentBuilder.incidentIdFor(event));
            if (match != null) {
                step.changes()
                        .add(
                                IncidentChange.link(
                                        cluster.incidentId,
                                        "RELATED",
                                        match.incidentId,
                                        time,
                                        "late report of the same event"));
                step.changes()
                        .add(
                                IncidentChange.link(
                                        match.incidentId,
                                        "RELATED",
                                        cluster.incidentId,
                                        time,
                                        "late report of the same event"));
            }
        }
        cluster.eventIds.add(event.getEventId());
        if (event.getAction() != Action.CANCEL) {
            addPoint(cluster, point(event));
        }
        store.putMembership(event.getEventId(), cluster.incidentId);
        reschedule(cluster, Math.max(cluster.lastTime, time), step);
        step.changes().add(0, IncidentChange.report(cluster.incidentId, event));
        if (ON_THE_ROAD.contains(event.getCategory())) {
            linkToCongestion(cluster.incidentId, event, watermark, step);
        }
        releaseStatusesOf(event.getEventId(), cluster.incidentId, step);
        return step;
    }

    /**
     * A collision or obstruction on a congested stretch is related to the congestion (not fused).
     */
    private void linkToCongestion(String incidentId, CityEvent event, long watermark, Step step) {
        double lat = event.getLocation().getLat();
        double lon = event.getLocation().getLon();
        long time = event.getEventTime().toEpochMilli();
        for (String id : index().near(lat, lon, CONGESTION_LINK_METERS)) {
            Cluster cluster = store.cluster(id);
            if (cluster == null || id.equals(incidentId) || !cluster.isOpenAt(watermark)) {
                continue;
            }
            boolean congested =
                    cluster.points.stream()
                            .anyMatch(
                                    p ->
                                            p.category.equals(Category.CONGESTION.name())
                                                    && p.time
                                                            <= time + config.allowedLatenessMillis()
                                                    && Geo.meters(lat, lon, p.lat, p.lon)
                                                            <= CONGESTION_LINK_METERS);
            if (congested) {
                String reason = "on a congested segment";
                step.changes().add(IncidentChange.link(incidentId, "RELATED", id, time, reason));
                step.changes().add(IncidentChange.link(id, "RELATED", incidentId, time, reason));
            }
        }
    }

    /** A later version of a known report: UPDATE, CANCEL, or the end of a congestion episode. */
    private void revise(String incidentId, CityEvent event, Step step) {
        Cluster cluster = store.cluster(incidentId);
        if (cluster != null) {
            removePoint(cluster, event.getEventId());
            boolean ended = event.getAttributes().containsKey("endedAt");
            if (event.getAction() != Action.CANCEL && !ended) {
                addPoint(cluster, point(event));
            }
            reschedule(
                    cluster, Math.max(cluster.lastTime, event.getEventTime().toEpochMilli()), step);
        }
        step.changes().add(IncidentChange.report(incidentId, event));
    }

    /** The open (or, for linking late reports, any remembered) cluster this report fits best. */
    private Cluster bestMatch(CityEvent event, long watermark, boolean openOnly) {
        if (event.getCategory() == Category.CONGESTION) {
            return null; // congestion episodes are per segment; they relate to reports, never fuse
        }
        double lat = event.getLocation().getLat();
        double lon = event.getLocation().getLon();
        long time = event.getEventTime().toEpochMilli();
        Cluster best = null;
        double bestScore = Double.MAX_VALUE;
        for (String id : index().near(lat, lon, config.maxRadiusMeters())) {
            Cluster cluster = store.cluster(id);
            if (cluster == null || (openOnly && !cluster.isOpenAt(watermark))) {
                continue;
            }
            for (ReportPoint p : cluster.points) {
                var rule = config.rule(event.getCategory(), Category.valueOf(p.category));
                if (rule.isEmpty()) {
                    continue;
                }
                double meters = Geo.meters(lat, lon, p.lat, p.lon);
                long apart = Math.abs(time - p.time);
                if (meters <= rule.get().radiusMeters() && apart <= rule.get().windowMillis()) {
                    double score =
                            meters / rule.get().radiusMeters()
                                    + (double) apart / rule.get().windowMillis();
                    if (score < bestScore
                            || (score == bestScore
                                    && cluster.incidentId.compareTo(best.incidentId) < 0)) {
                        best = cluster;
                        bestScore = score;
                    }
                }
            }
        }
        return best;
    }

    public Step onCommand(FeedbackCommand command, long watermark) {
        Step step = new Step();
        long now = command.getAt().toEpochMilli();
        if (store.seenCommand(command.getCommandId(), now + REMEMBER_MILLIS)) {
            return step;
        }
        step.timersToAdd().add(now + REMEMBER_MILLIS);
        if (isUnitStatus(command)) {
            unitStatus(command, now, step);
        } else if (command.getKind() == CommandKind.MERGE) {
            merge(command, now, step);
        } else if (command.getKind() == CommandKind.SPLIT) {
            split(command, now, step);
        }
        return step;
    }

    /**
     * A department system reports a unit on a report: the action goes to the report's incident,
     * after the report itself (same channel, so in order). A status can overtake its report on the
     * way through the job; it then waits here for it.
     */
    private void unitStatus(FeedbackCommand command, long now, Step step) {
        String eventId = reportEventId(command);
        if (eventId == null) {
            step.unresolved()
                    .add(
                            new Unresolved(
                                    command,
                                    "unit status for an unknown feed '"
                                            + command.getReportFeed()
                                            + "'"));
            return;
        }
        String incidentId = store.incidentOf(eventId);
        if (incidentId != null) {
            step.changes().add(IncidentChange.unitStatus(incidentId, eventId, command));
        } else {
            store.addPendingStatus(eventId, command);
            step.timersToAdd().add(now + PENDING_STATUS_MILLIS);
        }
    }

    /** One lookup per new report: almost always nothing waits for it. */
    private void releaseStatusesOf(String eventId, String incidentId, Step step) {
        List<FeedbackCommand> waiting = new ArrayList<>(store.takePendingStatuses(eventId));
        waiting.sort(
                java.util.Comparator.comparing(FeedbackCommand::getAt)
                        .thenComparing(FeedbackCommand::getCommandId));
        for (FeedbackCommand c : waiting) {
            step.changes().add(IncidentChange.unitStatus(incidentId, eventId, c));
        }
    }

    private static String reportEventId(FeedbackCommand command) {
        return FeedSpec.byName(command.getReportFeed())
                .map(spec -> Normaliser.eventId(spec, command.getReportId()))
                .orElse(null);
    }

    private void merge(FeedbackCommand command, long now, Step step) {
        Cluster absorbed = store.cluster(command.getIncidentId());
        Cluster survivor =
                command.getTargetIncidentId() == null
                        ? null
                        : store.cluster(command.getTargetIncidentId());
        if (absorbed == null
                || survivor == null
                || absorbed == survivor
                || absorbed.incidentId.equals(survivor.incidentId)) {
            LOG.warn(
                    "ignoring merge {}: both incidents must be known to fusion and different",
                    command.getCommandId());
            return;
        }
        String reason =
                command.getReason() == null
                        ? "merged by " + command.getActor()
                        : command.getReason();
        for (String eventId : absorbed.eventIds) {
            store.putMembership(eventId, survivor.incidentId);
            survivor.eventIds.add(eventId);
            step.changes().add(IncidentChange.removeReport(absorbed.incidentId, eventId, now));
            CityEvent event = store.event(eventId);
            if (event != null) {
                step.changes().add(IncidentChange.report(survivor.incidentId, event));
            }
        }
        for (ReportPoint p : absorbed.points) {
            index().remove(absorbed.incidentId, p.lat, p.lon);
            addPoint(survivor, p);
        }
        absorbed.points.clear();
        absorbed.eventIds.clear();
        step.changes()
                .add(IncidentChange.merged(absorbed.incidentId, survivor.incidentId, now, reason));
        step.changes()
                .add(
                        IncidentChange.link(
                                absorbed.incidentId,
                                "REPLACED_BY",
                                survivor.incidentId,
                                now,
                                reason));
        step.changes()
                .add(
                        IncidentChange.link(
                                survivor.incidentId, "REPLACES", absorbed.incidentId, now, reason));
        store.putCluster(absorbed);
        reschedule(survivor, Math.max(survivor.lastTime, absorbed.lastTime), step);
    }

    private void split(FeedbackCommand command, long now, Step step) {
        Cluster parent = store.cluster(command.getIncidentId());
        List<String> leaving = command.getEventIds();
        if (parent == null
                || leaving.isEmpty()
                || !parent.eventIds.containsAll(leaving)
                || leaving.size() >= parent.eventIds.size()) {
            LOG.warn(
                    "ignoring split {}: the reports must belong to the incident and some must stay",
                    command.getCommandId());
            return;
        }
        CityEvent first = store.event(leaving.get(0));
        Cluster child =
                new Cluster(
                        IncidentBuilder.incidentIdFor(first)
                                + "-S"
                                + shortHash(command.getCommandId()));
        String reason =
                command.getReason() == null
                        ? "split by " + command.getActor()
                        : command.getReason();
        long childLast = Long.MIN_VALUE;
        for (String eventId : leaving) {
            parent.eventIds.remove(eventId);
            removePoint(parent, eventId);
            child.eventIds.add(eventId);
            store.putMembership(eventId, child.incidentId);
            step.changes().add(IncidentChange.removeReport(parent.incidentId, eventId, now));
            CityEvent event = store.event(eventId);
            step.changes().add(IncidentChange.report(child.incidentId, event));
            if (event.getAction() != Action.CANCEL) {
                addPoint(child, point(event));
            }
            childLast = Math.max(childLast, event.getEventTime().toEpochMilli());
        }
        step.changes()
                .add(
                        IncidentChange.link(
                                parent.incidentId, "CHILD", child.incidentId, now, reason));
        step.changes()
                .add(
                        IncidentChange.link(
                                child.incidentId, "PARENT", parent.incidentId, now, reason));
        store.putCluster(parent);
        reschedule(child, childLast, step);
    }

    /** Closes clusters whose window has passed and forgets those remembered long enough. */
    public Step onTime(long watermark) {
        Step step = new Step();
        List<Cluster> forget = new ArrayList<>();
        for (Cluster cluster : store.clusters()) {
            if (cluster.forgetAt <= watermark) {
                forget.add(cluster);
            }
        }
        for (Cluster cluster : forget) {
            cluster.points.forEach(p -> index().remove(cluster.incidentId, p.lat, p.lon));
            for (String eventId : cluster.eventIds) {
                if (cluster.incidentId.equals(store.incidentOf(eventId))) {
                    store.removeMembership(eventId);
                    store.removeEvent(eventId);
                }
            }
            store.removeCluster(cluster.incidentId);
        }
        for (String eventId : store.reportsAwaited()) {
            List<FeedbackCommand> waiting = store.takePendingStatuses(eventId);
            for (FeedbackCommand c : waiting) {
                if (c.getAt().toEpochMilli() + PENDING_STATUS_MILLIS > watermark) {
                    store.addPendingStatus(eventId, c); // still within its wait
                    continue;
                }
                step.unresolved()
                        .add(
                                new Unresolved(
                                        c,
                                        "unit status "
                                                + c.getKind()
                                                + " for report "
                                                + eventId
                                                + ": no such report reached CityOps within "
                                                + PENDING_STATUS_MILLIS / 60_000
                                                + " min of event time (rejected, never sent, or"
                                                + " already forgotten)"));
            }
        }
        store.forgetCommandsBefore(watermark);
        store.compact();
        return step;
    }

    private void reschedule(Cluster cluster, long lastTime, Step step) {
        if (cluster.forgetAt != 0) {
            step.timersToDelete().add(cluster.closesAt);
            step.timersToDelete().add(cluster.forgetAt);
        }
        cluster.lastTime = lastTime;
        cluster.closesAt = lastTime + config.maxWindowMillis() + config.allowedLatenessMillis();
        cluster.forgetAt = cluster.closesAt + REMEMBER_MILLIS;
        step.timersToDelete().remove(cluster.closesAt);
        step.timersToDelete().remove(cluster.forgetAt);
        step.timersToAdd().add(cluster.closesAt);
        step.timersToAdd().add(cluster.forgetAt);
        store.putCluster(cluster);
    }

    private void addPoint(Cluster cluster, ReportPoint point) {
        cluster.points.add(point);
        index().add(cluster.incidentId, point.lat, point.lon);
    }

    private void removePoint(Cluster cluster, String eventId) {
        cluster.points.removeIf(
                p -> {
                    if (p.eventId.equals(eventId)) {
                        index().remove(cluster.incidentId, p.lat, p.lon);
                        return true;
                    }
                    return false;
                });
    }

    private static ReportPoint point(CityEvent event) {
        return new ReportPoint(
                event.getEventId(),
                event.getCategory().name(),
                event.getLocation().getLat(),
                event.getLocation().getLon(),
                event.getEventTime().toEpochMilli());
    }

    private static String shortHash(String text) {
        CRC32 crc = new CRC32();
        crc.update(text.getBytes(StandardCharsets.UTF_8));
        return Long.toHexString(crc.getValue());
    }
}
