package org.cityops.replay;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class ReplayClockTest {

    static final Instant REPORT = Instant.parse("2018-12-08T10:00:00Z");
    private final AtomicLong wallNanos = new AtomicLong(1_000_000_000L);

    private void wallPasses(long millis) {
        wallNanos.addAndGet(millis * 1_000_000);
    }

    @Test
    void runsOnAtTheReplaySpeedFromTheLastReplayedRecord() {
        ReplayClock clock = new ReplayClock(Speed.parse("120"), wallNanos::get);
        clock.advance(REPORT.toEpochMilli());
        assertThat(clock.instant()).isEqualTo(REPORT);

        wallPasses(500);
        assertThat(clock.instant()).as("half a second at 120x").isEqualTo(REPORT.plusSeconds(60));

        clock.advance(REPORT.plusSeconds(90).toEpochMilli());
        assertThat(clock.instant()).isEqualTo(REPORT.plusSeconds(90));
    }

    @Test
    void neverRunsBackwardsWhenAnOlderRecordOrAnEarlierAnchorFollows() {
        ReplayClock clock = new ReplayClock(Speed.parse("120"), wallNanos::get);
        clock.advance(REPORT.toEpochMilli());
        wallPasses(1_000);
        assertThat(clock.instant()).isEqualTo(REPORT.plusSeconds(120));

        clock.advance(REPORT.minusSeconds(30).toEpochMilli()); // out of order: ignored
        clock.advance(REPORT.plusSeconds(100).toEpochMilli()); // the replay lagged behind its pace
        assertThat(clock.instant()).isEqualTo(REPORT.plusSeconds(120));
    }

    @Test
    void atMaxSpeedItStandsAtTheLastRecordAndBeforeAnyRecordItIsTheSystemClock() {
        ReplayClock clock = new ReplayClock(Speed.parse("max"), wallNanos::get);
        Instant before = Instant.now();
        assertThat(clock.instant()).isAfterOrEqualTo(before);

        clock.advance(REPORT.toEpochMilli());
        wallPasses(10_000);
        assertThat(clock.instant()).isEqualTo(REPORT);
    }
}
