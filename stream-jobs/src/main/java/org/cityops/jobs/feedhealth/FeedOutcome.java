package org.cityops.jobs.feedhealth;

/** What happened to one feed record: accepted, rejected (with reason) or an exact duplicate. */
public class FeedOutcome {

    public static final String ACCEPTED = "accepted";
    public static final String REJECTED = "rejected";
    public static final String DUPLICATE = "duplicate";

    public String feed;
    public String kind;
    public long receivedAt;
    public String reason;

    public FeedOutcome() {}

    public static FeedOutcome of(String feed, String kind, long receivedAt, String reason) {
        FeedOutcome o = new FeedOutcome();
        o.feed = feed;
        o.kind = kind;
        o.receivedAt = receivedAt;
        o.reason = reason;
        return o;
    }
}
