package org.cityops.jobs.congestion;

import java.io.Serializable;

/**
 * When a segment counts as congested. Speeds are smoothed (exponential moving average); an episode
 * starts when the smoothed speed stays below {@code startRatio} of free flow for {@code
 * startAfterMillis}, and ends when it stays above {@code endRatio} (higher: hysteresis, so it does
 * not flap) for {@code endAfterMillis}.
 */
public record CongestionConfig(
        double startRatio,
        double endRatio,
        long startAfterMillis,
        long endAfterMillis,
        double smoothing,
        double worseningStep,
        long refreshMillis)
        implements Serializable {

    /**
     * Below half of free flow for 10 min starts; above 65 % for 10 min ends; refreshed every 15
     * min.
     */
    public static CongestionConfig defaults() {
        return new CongestionConfig(0.5, 0.65, 10 * 60_000L, 10 * 60_000L, 0.3, 0.15, 15 * 60_000L);
    }
}
