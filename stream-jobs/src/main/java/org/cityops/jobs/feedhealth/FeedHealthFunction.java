package org.cityops.jobs.feedhealth;

import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.state.ValueState;
import org.apache.flink.streaming.api.functions.KeyedProcessFunction;
import org.apache.flink.util.Collector;
import org.cityops.jobs.IngestDescriptors;

/**
 * Counts outcomes per feed and publishes the counts at most every {@code intervalMillis} of
 * processing time, so a flood of records costs one live-view write per interval, not per record.
 * Counts live in checkpointed state: after a restart they are exactly what was committed.
 */
public final class FeedHealthFunction
        extends KeyedProcessFunction<String, FeedOutcome, FeedHealth> {

    private final long intervalMillis;
    private transient ValueState<FeedHealth> health;
    private transient ValueState<Long> flushAt;

    public FeedHealthFunction(long intervalMillis) {
        this.intervalMillis = intervalMillis;
    }

    @Override
    public void open(OpenContext context) {
        health = getRuntimeContext().getState(IngestDescriptors.FEED_HEALTH);
        flushAt = getRuntimeContext().getState(IngestDescriptors.FEED_HEALTH_FLUSH_AT);
    }

    @Override
    public void processElement(FeedOutcome outcome, Context ctx, Collector<FeedHealth> out)
            throws Exception {
        FeedHealth current = health.value();
        if (current == null) {
            current = new FeedHealth(outcome.feed);
        }
        current.count(outcome);
        health.update(current);
        if (flushAt.value() == null) {
            long at = ctx.timerService().currentProcessingTime() + intervalMillis;
            ctx.timerService().registerProcessingTimeTimer(at);
            flushAt.update(at);
        }
    }

    @Override
    public void onTimer(long timestamp, OnTimerContext ctx, Collector<FeedHealth> out)
            throws Exception {
        flushAt.clear();
        FeedHealth current = health.value();
        if (current != null) {
            out.collect(current.copy());
        }
    }
}
