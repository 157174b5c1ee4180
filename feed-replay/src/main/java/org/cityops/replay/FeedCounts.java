package org.cityops.replay;

import java.util.ArrayList;
import java.util.List;

/** What a replay did with one feed's lines. */
public final class FeedCounts {

    static final int REJECTIONS_KEPT = 5;

    private final String feed;
    private long lines;
    private long accepted;
    private long rejected;
    private long duplicates;
    private final List<String> firstRejections = new ArrayList<>();

    FeedCounts(String feed) {
        this.feed = feed;
    }

    synchronized void countAccepted() {
        lines++;
        accepted++;
    }

    synchronized void countDuplicate() {
        lines++;
        duplicates++;
    }

    synchronized void countRejected(String where, String reason) {
        lines++;
        rejected++;
        if (firstRejections.size() < REJECTIONS_KEPT) {
            firstRejections.add(where + ": " + reason);
        }
    }

    public String feed() {
        return feed;
    }

    public synchronized long lines() {
        return lines;
    }

    public synchronized long accepted() {
        return accepted;
    }

    public synchronized long rejected() {
        return rejected;
    }

    public synchronized long duplicates() {
        return duplicates;
    }

    public synchronized List<String> firstRejections() {
        return List.copyOf(firstRejections);
    }
}
