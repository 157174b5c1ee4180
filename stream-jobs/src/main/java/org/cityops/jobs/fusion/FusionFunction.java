package org.cityops.jobs.fusion;

import java.nio.ByteBuffer;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.streaming.api.functions.co.KeyedCoProcessFunction;
import org.apache.flink.util.Collector;
import org.cityops.jobs.IngestDescriptors;
import org.cityops.schemas.Feed;
import org.cityops.schemas.city.CityEvent;
import org.cityops.schemas.city.DeadLetter;
import org.cityops.schemas.city.FeedbackCommand;
import org.cityops.schemas.city.PayloadFormat;
import org.cityops.schemas.contract.FeedSpec;
import org.cityops.schemas.serde.AvroCodec;

/**
 * Thin Flink wrapper of {@link FusionEngine}, keyed by fusion region: stores its state in map
 * states and sets and deletes the event-time timers it asks for, so closed clusters are forgotten
 * and an idle region holds no state and no timers.
 */
public final class FusionFunction
        extends KeyedCoProcessFunction<String, CityEvent, FeedbackCommand, IncidentChange> {

    /** The base name of the topic unit statuses come from, for their dead letters. */
    private static final String FEEDBACK_TOPIC = "dispatch.feedback";

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
                                runtime.getMapState(IngestDescriptors.FUSION_COMMANDS),
                                runtime.getMapState(IngestDescriptors.fusionPendingStatuses())));
    }

    @Override
    public void processElement1(CityEvent event, Context ctx, Collector<IncidentChange> out) {
        apply(
                engine.onEvent(event, ctx.timerService().currentWatermark()),
                ctx.timerService(),
                out,
                ctx);
    }

    @Override
    public void processElement2(
            FeedbackCommand command, Context ctx, Collector<IncidentChange> out) {
        apply(
                engine.onCommand(command, ctx.timerService().currentWatermark()),
                ctx.timerService(),
                out,
                ctx);
    }

    @Override
    public void onTimer(long timestamp, OnTimerContext ctx, Collector<IncidentChange> out) {
        apply(engine.onTime(timestamp), ctx.timerService(), out, ctx);
    }

    private static void apply(
            FusionEngine.Step step,
            org.apache.flink.streaming.api.TimerService timers,
            Collector<IncidentChange> out,
            Context ctx) {
        step.timersToDelete().forEach(timers::deleteEventTimeTimer);
        step.timersToAdd().forEach(timers::registerEventTimeTimer);
        step.changes().forEach(out::collect);
        for (FusionEngine.Unresolved unresolved : step.unresolved()) {
            ctx.output(IngestDescriptors.UNRESOLVED_STATUSES, deadLetter(unresolved));
        }
    }

    /** A unit status no report was found for, kept whole with the reason. */
    static DeadLetter deadLetter(FusionEngine.Unresolved unresolved) {
        FeedbackCommand command = unresolved.command();
        return DeadLetter.newBuilder()
                .setDeadLetterId(FEEDBACK_TOPIC + "/" + command.getCommandId())
                .setFeed(
                        FeedSpec.byName(String.valueOf(command.getReportFeed()))
                                .map(FeedSpec::feed)
                                .orElse(Feed.UNKNOWN))
                .setFormat(PayloadFormat.AVRO)
                .setReason(unresolved.reason())
                .setField("reportId")
                .setPayload(ByteBuffer.wrap(AvroCodec.of(FeedbackCommand.class).encode(command)))
                .setReceivedAt(command.getAt())
                .setTopic(FEEDBACK_TOPIC)
                .setPartition(-1)
                .setOffset(-1L)
                .build();
    }
}
