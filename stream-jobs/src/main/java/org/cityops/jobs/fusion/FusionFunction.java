package org.cityops.jobs.fusion;

import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.streaming.api.functions.co.KeyedCoProcessFunction;
import org.apache.flink.util.Collector;
import org.cityops.jobs.IngestDescriptors;
import org.cityops.schemas.city.CityEvent;
import org.cityops.schemas.city.FeedbackCommand;

/**
 * Thin Flink wrapper of {@link FusionEngine}, keyed by fusion region: stores its state in map
 * states and sets and deletes the event-time timers it asks for, so closed clusters are forgotten
 * and an idle region holds no state and no timers.
 */
public final class FusionFunction
        extends KeyedCoProcessFunction<String, CityEvent, FeedbackCommand, IncidentChange> {

    private final FusionConfig config;
    private transient FusionEngine engine;

    public FusionFunction(FusionConfig config) {
        this.config = config;
    }

    @Override
    public void open(OpenContext context) {
        var runtime = getRuntimeContext();
        engine =
                new FusionEngine(
                        config,
                        new FlinkFusionStore(
                                runtime.getMapState(IngestDescriptors.FUSION_CLUSTERS),
                                runtime.getMapState(IngestDescriptors.FUSION_MEMBERSHIP),
                                runtime.getMapState(IngestDescriptors.fusionEvents()),
                                runtime.getMapState(IngestDescriptors.FUSION_COMMANDS)));
    }

    @Override
    public void processElement1(CityEvent event, Context ctx, Collector<IncidentChange> out) {
        apply(
                engine.onEvent(event, ctx.timerService().currentWatermark()),
                ctx.timerService(),
                out);
    }

    @Override
    public void processElement2(
            FeedbackCommand command, Context ctx, Collector<IncidentChange> out) {
        apply(
                engine.onCommand(command, ctx.timerService().currentWatermark()),
                ctx.timerService(),
                out);
    }

    @Override
    public void onTimer(long timestamp, OnTimerContext ctx, Collector<IncidentChange> out) {
        apply(engine.onTime(timestamp), ctx.timerService(), out);
    }

    private static void apply(
            FusionEngine.Step step,
            org.apache.flink.streaming.api.TimerService timers,
            Collector<IncidentChange> out) {
        step.timersToDelete().forEach(timers::deleteEventTimeTimer);
        step.timersToAdd().forEach(timers::registerEventTimeTimer);
        step.changes().forEach(out::collect);
    }
}
