package org.cityops.jobs.congestion;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.cityops.jobs.ingest.DistrictIndex;
import org.cityops.jobs.ingest.Normaliser;
import org.cityops.schemas.Action;
import org.cityops.schemas.Category;
import org.cityops.schemas.Location;
import org.cityops.schemas.city.CityEvent;
import org.cityops.schemas.feeds.TrafficReading;
import org.junit.jupiter.api.Test;

class CongestionDetectorTest {

    private final CongestionDetector detector =
            new CongestionDetector(
                    CongestionConfig.defaults(), new Normaliser(DistrictIndex.sanFrancisco()));
    private final SegmentState state = new SegmentState();
    private final List<CityEvent> reports = new ArrayList<>();
    private Instant clock = Instant.parse("2018-12-08T07:00:00Z");

    /** Readings every minute at the given speeds (free flow 50 km/h). */
    private void minutes(double... speeds) {
        for (double speed : speeds) {
            clock = clock.plusSeconds(60);
            detector.onReading(state, reading(clock, speed)).ifPresent(reports::add);
        }
    }

    static TrafficReading reading(Instant at, double speed) {
        return TrafficReading.newBuilder()
                .setSegmentId("S-1")
                .setObservedAt(at)
                .setSpeedKmh(speed)
                .setFreeFlowKmh(50.0)
                .setLocation(new Location(37.7749, -122.4194, null, null))
                .build();
    }

    @Test
    void sustainedSlowTrafficStartsOneEpisodeAndRecoveryEndsIt() {
        minutes(48, 47, 49, 48, 46);
        minutes(20, 18, 15, 14, 15, 14, 13, 14, 15, 14, 14, 14, 14, 14);
        assertThat(reports)
                .singleElement()
                .satisfies(
                        r -> {
                            assertThat(r.getAction()).isEqualTo(Action.NEW);
                            assertThat(r.getCategory()).isEqualTo(Category.CONGESTION);
                            assertThat(r.getAttributes())
                                    .containsEntry("segmentId", "S-1")
                                    .containsKey("startedAt")
                                    .containsKey("worstSpeedKmh");
                        });

        minutes(45, 46, 47, 48, 48, 47, 48, 49, 48, 47, 48, 49, 48, 48, 49, 48);
        CityEvent end = reports.get(reports.size() - 1);
        assertThat(end.getAction()).isEqualTo(Action.UPDATE);
        assertThat(end.getAttributes()).containsKey("endedAt");
        assertThat(Double.parseDouble(end.getAttributes().get("worstSpeedKmh"))).isLessThan(16);
        assertThat(end.getEventId()).isEqualTo(reports.get(0).getEventId());
        assertThat(state.congested()).isFalse();
    }

    @Test
    void speedHoveringAroundTheThresholdDoesNotFlap() {
        minutes(30, 30, 30);
        for (int i = 0; i < 30; i++) {
            minutes(i % 2 == 0 ? 22 : 34); // smoothed speed crosses 25 km/h back and forth
        }
        long starts = reports.stream().filter(r -> r.getAction() == Action.NEW).count();
        long ends = reports.stream().filter(r -> r.getAttributes().containsKey("endedAt")).count();
        assertThat(starts).isLessThanOrEqualTo(1);
        assertThat(ends).isZero();
    }

    @Test
    void aBriefDipIsNotCongestion() {
        minutes(48, 10, 10, 10, 48, 48, 48, 48, 48, 48, 48, 48, 48);
        assertThat(reports).isEmpty();
    }

    @Test
    void anOlderReadingArrivingLateChangesNothing() {
        minutes(48, 48);
        Instant now = clock;
        assertThat(detector.onReading(state, reading(now.minusSeconds(600), 5))).isEmpty();
        assertThat(state.lastObservedAt).isEqualTo(now.toEpochMilli());
    }
}
