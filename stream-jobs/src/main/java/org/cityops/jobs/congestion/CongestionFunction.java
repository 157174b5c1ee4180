package org.cityops.jobs.congestion;

import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.state.ValueState;
import org.apache.flink.streaming.api.functions.KeyedProcessFunction;
import org.apache.flink.util.Collector;
import org.cityops.jobs.IngestDescriptors;
import org.cityops.jobs.ingest.DistrictIndex;
import org.cityops.jobs.ingest.Normaliser;
import org.cityops.schemas.city.CityEvent;
import org.cityops.schemas.feeds.TrafficReading;

/** Keyed by road segment: runs {@link CongestionDetector} over the segment's readings. */
public final class CongestionFunction
        extends KeyedProcessFunction<String, TrafficReading, CityEvent> {

    private final CongestionConfig config;
    private transient CongestionDetector detector;
    private transient ValueState<SegmentState> segment;

    public CongestionFunction(CongestionConfig config) {
        this.config = config;
    }

    @Override
    public void open(OpenContext context) {
        detector = new CongestionDetector(config, new Normaliser(DistrictIndex.sanFrancisco()));
        segment = getRuntimeContext().getState(IngestDescriptors.segmentState());
    }

    @Override
    public void processElement(TrafficReading reading, Context ctx, Collector<CityEvent> out)
            throws Exception {
        SegmentState state = segment.value();
        if (state == null) {
            state = new SegmentState();
        }
        detector.onReading(state, reading).ifPresent(out::collect);
        segment.update(state);
    }
}
