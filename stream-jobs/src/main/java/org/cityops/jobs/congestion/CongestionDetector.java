package org.cityops.jobs.congestion;

import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import org.cityops.jobs.ingest.Normaliser;
import org.cityops.schemas.Action;
import org.cityops.schemas.Category;
import org.cityops.schemas.Department;
import org.cityops.schemas.Feed;
import org.cityops.schemas.city.CityEvent;
import org.cityops.schemas.feeds.TrafficReading;

/**
 * Congestion episodes of one road segment from its sensor readings. Plain Java. An episode is a
 * CONGESTION report: NEW when it starts, UPDATE when it gets markedly worse, UPDATE with {@code
 * endedAt} when it ends — so it becomes an incident like any other report, with its start, end,
 * worst speed and segment.
 */
public final class CongestionDetector {

    private final CongestionConfig config;
    private final Normaliser normaliser;

    public CongestionDetector(CongestionConfig config, Normaliser normaliser) {
        this.config = config;
        this.normaliser = normaliser;
    }

    /** Folds a reading into the segment's state; returns the episode report it causes, if any. */
    public Optional<CityEvent> onReading(SegmentState state, TrafficReading reading) {
        long t = reading.getObservedAt().toEpochMilli();
        if (t <= state.lastObservedAt) {
            return Optional.empty(); // an older or repeated reading says nothing new about now
        }
        state.lastObservedAt = t;
        if (reading.getFreeFlowKmh() != null) {
            state.freeFlowKmh = reading.getFreeFlowKmh();
        }
        double speed = reading.getSpeedKmh();
        state.smoothedSpeed =
                Double.isNaN(state.smoothedSpeed)
                        ? speed
                        : config.smoothing() * speed
                                + (1 - config.smoothing()) * state.smoothedSpeed;
        if (state.freeFlowKmh <= 0) {
            // No free-flow speed yet: learn it as the best smoothed speed seen.
            state.freeFlowKmh = Math.max(state.freeFlowKmh, state.smoothedSpeed);
            return Optional.empty();
        }
        double ratio = state.smoothedSpeed / state.freeFlowKmh;
        if (!state.congested()) {
            if (ratio < config.startRatio()) {
                if (state.belowSince == Long.MIN_VALUE) {
                    state.belowSince = t;
                }
                if (t - state.belowSince >= config.startAfterMillis()) {
                    state.episodeStartedAt = state.belowSince;
                    state.worstSpeedKmh = state.smoothedSpeed;
                    state.reportedWorstKmh = state.smoothedSpeed;
                    state.aboveSince = Long.MIN_VALUE;
                    return Optional.of(report(state, reading, Action.NEW, null));
                }
            } else {
                state.belowSince = Long.MIN_VALUE;
            }
            return Optional.empty();
        }
        state.worstSpeedKmh = Math.min(state.worstSpeedKmh, state.smoothedSpeed);
        if (ratio > config.endRatio()) {
            if (state.aboveSince == Long.MIN_VALUE) {
                state.aboveSince = t;
            }
            if (t - state.aboveSince >= config.endAfterMillis()) {
                CityEvent end =
                        report(
                                state,
                                reading,
                                Action.UPDATE,
                                Instant.ofEpochMilli(state.aboveSince));
                state.episodeStartedAt = Long.MIN_VALUE;
                state.belowSince = Long.MIN_VALUE;
                state.aboveSince = Long.MIN_VALUE;
                return Optional.of(end);
            }
            return Optional.empty();
        }
        state.aboveSince = Long.MIN_VALUE;
        boolean worse = state.worstSpeedKmh < state.reportedWorstKmh * (1 - config.worseningStep());
        if (worse || t - state.lastReportedAt >= config.refreshMillis()) {
            // Markedly worse, or still going: tell the incident (keeps its clock and worst speed
            // current).
            state.reportedWorstKmh = state.worstSpeedKmh;
            return Optional.of(report(state, reading, Action.UPDATE, null));
        }
        return Optional.empty();
    }

    private CityEvent report(
            SegmentState state, TrafficReading reading, Action action, Instant endedAt) {
        String segment = reading.getSegmentId();
        Instant started = Instant.ofEpochMilli(state.episodeStartedAt);
        double worstRatio = state.worstSpeedKmh / state.freeFlowKmh;
        Map<String, String> attributes = new LinkedHashMap<>();
        attributes.put("segmentId", segment);
        attributes.put("startedAt", started.toString());
        attributes.put(
                "worstSpeedKmh", String.format(java.util.Locale.ROOT, "%.1f", state.worstSpeedKmh));
        attributes.put(
                "freeFlowKmh", String.format(java.util.Locale.ROOT, "%.1f", state.freeFlowKmh));
        if (endedAt != null) {
            attributes.put("endedAt", endedAt.toString());
        }
        String id = "congestion-" + segment + "-" + state.episodeStartedAt;
        return CityEvent.newBuilder()
                .setEventId("traffic.readings/" + id)
                .setFeed(Feed.TRAFFIC_READINGS)
                .setSourceId(id)
                .setAction(action)
                .setDepartment(Department.traffic)
                .setCategory(Category.CONGESTION)
                .setOriginalCategory("CONGESTION")
                .setSeverity(worstRatio < 0.25 ? 3 : 2)
                .setEventTime(reading.getObservedAt())
                .setLocation(normaliser.cityLocation(reading.getLocation()))
                .setDescription(
                        endedAt == null
                                ? String.format(
                                        java.util.Locale.ROOT,
                                        "Congestion on segment %s since %s: %.0f km/h against %.0f free flow",
                                        segment,
                                        started,
                                        state.worstSpeedKmh,
                                        state.freeFlowKmh)
                                : String.format(
                                        java.util.Locale.ROOT,
                                        "Congestion on segment %s ended at %s (worst %.0f km/h)",
                                        segment,
                                        endedAt,
                                        state.worstSpeedKmh))
                .setAttributes(attributes)
                .setFingerprint(id.hashCode() * 31L + reading.getObservedAt().toEpochMilli())
                .build();
    }
}
