package org.cityops.jobs.feedhealth;

/** Running counts of one feed, as operators see them in {@code GET /api/v1/feeds}. */
public class FeedHealth {

    public String feed;
    public long accepted;
    public long rejected;
    public long duplicates;
    public long lastReceivedAt;
    public long lastRejectedAt;
    public String lastRejectReason;

    public FeedHealth() {}

    public FeedHealth(String feed) {
        this.feed = feed;
    }

    public void count(FeedOutcome outcome) {
        switch (outcome.kind) {
            case FeedOutcome.ACCEPTED -> accepted++;
            case FeedOutcome.DUPLICATE -> duplicates++;
            case FeedOutcome.REJECTED -> {
                rejected++;
                lastRejectedAt = Math.max(lastRejectedAt, outcome.receivedAt);
                lastRejectReason = outcome.reason;
            }
            default -> throw new IllegalArgumentException("unknown outcome " + outcome.kind);
        }
        lastReceivedAt = Math.max(lastReceivedAt, outcome.receivedAt);
    }

    public FeedHealth copy() {
        FeedHealth c = new FeedHealth(feed);
        c.accepted = accepted;
        c.rejected = rejected;
        c.duplicates = duplicates;
        c.lastReceivedAt = lastReceivedAt;
        c.lastRejectedAt = lastRejectedAt;
        c.lastRejectReason = lastRejectReason;
        return c;
    }
}
