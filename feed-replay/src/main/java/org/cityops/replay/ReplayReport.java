package org.cityops.replay;

import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Per-feed counts of a replay: lines sent, accepted, rejected (with the first reasons), duplicates.
 */
public final class ReplayReport {

    private final Map<String, FeedCounts> feeds = new LinkedHashMap<>();

    synchronized FeedCounts feed(String name) {
        return feeds.computeIfAbsent(name, FeedCounts::new);
    }

    public synchronized Collection<FeedCounts> feeds() {
        return java.util.List.copyOf(feeds.values());
    }

    public synchronized long totalLines() {
        return feeds.values().stream().mapToLong(FeedCounts::lines).sum();
    }

    public String table() {
        StringBuilder out = new StringBuilder();
        out.append(
                String.format(
                        "%-18s %10s %10s %10s %10s%n",
                        "feed", "lines", "accepted", "rejected", "duplicates"));
        long lines = 0, accepted = 0, rejected = 0, duplicates = 0;
        for (FeedCounts f : feeds()) {
            out.append(
                    String.format(
                            "%-18s %,10d %,10d %,10d %,10d%n",
                            f.feed(), f.lines(), f.accepted(), f.rejected(), f.duplicates()));
            lines += f.lines();
            accepted += f.accepted();
            rejected += f.rejected();
            duplicates += f.duplicates();
        }
        out.append(
                String.format(
                        "%-18s %,10d %,10d %,10d %,10d%n",
                        "total", lines, accepted, rejected, duplicates));
        for (FeedCounts f : feeds()) {
            for (String rejection : f.firstRejections()) {
                out.append("  rejected ")
                        .append(f.feed())
                        .append(' ')
                        .append(rejection)
                        .append('\n');
            }
        }
        return out.toString();
    }
}
