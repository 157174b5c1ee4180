package org.cityops.jobs.fusion;

import org.apache.flink.api.common.eventtime.WatermarkGenerator;
import org.apache.flink.api.common.eventtime.WatermarkOutput;
import org.apache.flink.api.common.eventtime.WatermarkStrategy;
import org.cityops.schemas.city.FeedbackCommand;

/**
 * Operators' commands and rule updates carry wall-clock time, not the city's event time: they must
 * never move event time (a merge during a replay of 2018 would otherwise expire every cluster).
 * Their inputs are always idle for watermarking, so only the reports drive the job's clock.
 */
public final class CommandWatermarks {

    private CommandWatermarks() {}

    public static WatermarkStrategy<FeedbackCommand> none() {
        return CommandWatermarks.<FeedbackCommand>idle()
                .withTimestampAssigner((command, previous) -> command.getAt().toEpochMilli());
    }

    /** For any input that must never move event time. */
    public static <T> WatermarkStrategy<T> idle() {
        return WatermarkStrategy.forGenerator(context -> new AlwaysIdle<>());
    }

    private static final class AlwaysIdle<T> implements WatermarkGenerator<T> {
        @Override
        public void onEvent(T event, long eventTimestamp, WatermarkOutput output) {
            output.markIdle();
        }

        @Override
        public void onPeriodicEmit(WatermarkOutput output) {
            output.markIdle();
        }
    }
}
