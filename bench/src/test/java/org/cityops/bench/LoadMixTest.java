package org.cityops.bench;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.cityops.schemas.Location;
import org.cityops.schemas.contract.FeedSpec;
import org.cityops.schemas.feeds.PoliceCall;
import org.junit.jupiter.api.Test;

class LoadMixTest {

    private static final Instant NOW = Instant.parse("2026-11-27T08:00:00Z");

    @Test
    void callsCarryTheirSequenceAndComeInClustersThatFusionCanJoin() {
        LoadMix mix = new LoadMix(1);
        List<LoadMix.Item> calls = new ArrayList<>();
        for (int i = 0; i < 400; i++) {
            calls.add(mix.next(NOW, true));
        }

        assertThat(calls).extracting(LoadMix.Item::seq).isSorted().doesNotHaveDuplicates();
        assertThat(calls.get(7).key()).isEqualTo("B7");
        long withANeighbour =
                calls.stream()
                        .filter(
                                c ->
                                        calls.stream()
                                                .anyMatch(
                                                        o ->
                                                                o != c
                                                                        && meters(
                                                                                        location(c),
                                                                                        location(o))
                                                                                < 300))
                        .count();
        assertThat(withANeighbour)
                .as("most calls have another within 300 m: events draw several calls")
                .isGreaterThan(200);
    }

    @Test
    void readingsAreFromAFixedSetOfSegmentsAndMostlyFreeFlowing() {
        LoadMix mix = new LoadMix(1);
        long slow = 0;
        for (int i = 0; i < 10_000; i++) {
            LoadMix.Item item = mix.next(NOW, false);
            assertThat(item.feed()).isEqualTo(FeedSpec.TRAFFIC_READINGS);
            assertThat(item.seq()).isNegative();
            var reading = (org.cityops.schemas.feeds.TrafficReading) item.record();
            assertThat(Integer.parseInt(reading.getSegmentId().substring(4)))
                    .isBetween(0, LoadMix.SEGMENTS - 1);
            if (reading.getSpeedKmh() < 25) {
                slow++;
            }
        }
        assertThat(slow).as("about one segment in fifty crawls").isBetween(100L, 400L);
    }

    @Test
    void theSustainedRateIsTheSlopeAfterWarmUpAndBeforeTheEndOfSending() {
        List<BenchMain.Sample> samples = new ArrayList<>();
        for (int t = 0; t <= 12; t++) {
            // 1,000/s during sending (10 s), a burst of catching up after
            long processed = t <= 10 ? t * 1_000L : 10_000L + (t - 10) * 5_000L;
            samples.add(new BenchMain.Sample(t, t * 1_000L, processed, 1, 100, 0));
        }

        assertThat(BenchMain.sustained(samples, 10)).isEqualTo(1_000.0);
    }

    private static Location location(LoadMix.Item item) {
        return item.record() instanceof PoliceCall p
                ? p.getLocation()
                : (Location)
                        item.record().get(item.record().getSchema().getField("location").pos());
    }

    private static double meters(Location a, Location b) {
        return org.cityops.schemas.geo.Geo.meters(a.getLat(), a.getLon(), b.getLat(), b.getLon());
    }
}
