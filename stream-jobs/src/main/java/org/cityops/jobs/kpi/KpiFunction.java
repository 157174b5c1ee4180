package org.cityops.jobs.kpi;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.state.ListState;
import org.apache.flink.api.common.state.MapState;
import org.apache.flink.api.common.state.ValueState;
import org.apache.flink.streaming.api.functions.KeyedProcessFunction;
import org.apache.flink.util.Collector;
import org.cityops.jobs.IngestDescriptors;

/**
 * Keyed by KPI group: folds lifecycle facts into that group's per-day aggregates and into a live
 * window (the last hour of event time, day {@value #LIVE}), publishing each change at once (the
 * screen path does not wait for anything). Facts leave the live window by event-time timers, so the
 * live row also changes when nothing new happens.
 */
public final class KpiFunction extends KeyedProcessFunction<String, KpiFact, DayKpi> {

    /** The "day" of the live window's row. */
    public static final String LIVE = "live";

    static final long LIVE_WINDOW_MILLIS = Duration.ofHours(1).toMillis();

    private transient MapState<String, DayKpi> days;
    private transient ListState<KpiFact> recent;
    private transient ValueState<Long> liveVersion;

    @Override
    public void open(OpenContext context) {
        days = getRuntimeContext().getMapState(IngestDescriptors.KPI_DAYS);
        recent = getRuntimeContext().getListState(IngestDescriptors.KPI_RECENT);
        liveVersion = getRuntimeContext().getState(IngestDescriptors.KPI_LIVE_VERSION);
    }

    @Override
    public void processElement(KpiFact fact, Context ctx, Collector<DayKpi> out) throws Exception {
        DayKpi day = days.get(fact.day);
        if (day == null) {
            day = new DayKpi();
            day.group = fact.group;
            day.day = fact.day;
        }
        day.add(fact);
        days.put(fact.day, day);
        out.collect(day);

        long now = Math.max(fact.at, ctx.timerService().currentWatermark());
        if (fact.at > now - LIVE_WINDOW_MILLIS) {
            recent.add(fact);
            ctx.timerService().registerEventTimeTimer(fact.at + LIVE_WINDOW_MILLIS);
            publishLive(ctx.getCurrentKey(), now, out);
        }
    }

    @Override
    public void onTimer(long timestamp, OnTimerContext ctx, Collector<DayKpi> out)
            throws Exception {
        publishLive(ctx.getCurrentKey(), timestamp, out);
    }

    /** Drops facts older than the window before {@code now} and publishes what remains. */
    private void publishLive(String group, long now, Collector<DayKpi> out) throws Exception {
        DayKpi live = new DayKpi();
        live.group = group;
        live.day = LIVE;
        List<KpiFact> kept = new ArrayList<>();
        for (KpiFact fact : recent.get()) {
            if (fact.at > now - LIVE_WINDOW_MILLIS) {
                kept.add(fact);
                live.add(fact);
            }
        }
        if (kept.isEmpty()) {
            recent.clear();
        } else {
            recent.update(kept);
        }
        long version = liveVersion.value() == null ? 1 : liveVersion.value() + 1;
        liveVersion.update(version);
        live.facts = version; // the row's version: it shrinks as facts leave, yet must be newer
        out.collect(live);
    }
}
