package org.cityops.jobs.kpi;

import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.state.MapState;
import org.apache.flink.streaming.api.functions.KeyedProcessFunction;
import org.apache.flink.util.Collector;
import org.cityops.jobs.IngestDescriptors;

/**
 * Keyed by KPI group: folds lifecycle facts into that group's per-day aggregates and publishes the
 * changed day at once (the screen path does not wait for anything).
 */
public final class KpiFunction extends KeyedProcessFunction<String, KpiFact, DayKpi> {

    private transient MapState<String, DayKpi> days;

    @Override
    public void open(OpenContext context) {
        days = getRuntimeContext().getMapState(IngestDescriptors.KPI_DAYS);
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
    }
}
