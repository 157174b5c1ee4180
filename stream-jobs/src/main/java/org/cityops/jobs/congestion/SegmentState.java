package org.cityops.jobs.congestion;

/** What the detector remembers of one road segment (a Flink POJO). */
public class SegmentState {

    public long lastObservedAt = Long.MIN_VALUE;
    public double smoothedSpeed = Double.NaN;
    public double freeFlowKmh;
    public long belowSince = Long.MIN_VALUE;
    public long aboveSince = Long.MIN_VALUE;

    /** The current episode, when congested: when it started and the worst smoothed speed so far. */
    public long episodeStartedAt = Long.MIN_VALUE;

    public double worstSpeedKmh = Double.NaN;
    public double reportedWorstKmh = Double.NaN;
    public long lastReportedAt = Long.MIN_VALUE;

    public boolean congested() {
        return episodeStartedAt != Long.MIN_VALUE;
    }
}
