package org.cityops.jobs.fusion;

import org.apache.flink.api.common.eventtime.WatermarkGenerator;
import org.apache.flink.api.common.eventtime.WatermarkOutput;
import org.apache.flink.api.common.eventtime.WatermarkStrategy;
import org.cityops.schemas.city.FeedbackCommand;

/**
 * Operators' commands carry wall-clock time, not the city's event time: they must never move event
 * time (a merge during a replay of 2018 would otherwise expire every cluster). Their input is
 * always idle for watermarking, so only the reports drive fusion's clock.
 */
public final class CommandWatermarks {

    private CommandWatermarks() {}

    public static WatermarkStrategy<FeedbackCommand> none() {
        return WatermarkStrategy.<FeedbackCommand>forGenerator(context -> new AlwaysIdle())
                .withTimestampAssigner((command, previous) -> command.getAt().toEpochMilli());
    }

    private static final class AlwaysIdle implements WatermarkGenerator<FeedbackCommand> {
        @Override
        public void onEvent(FeedbackCommand event, long eventTimestamp, WatermarkOutput output) {
            output.markIdle();
        }

        @Override
        public void onPeriodicEmit(WatermarkOutput output) {
            output.markIdle();
        }
    }
}
