package org.cityops.jobs.rules;

import java.util.ArrayList;
import java.util.List;

/**
 * What the rules remember (a Flink POJO, one per region): recent reports, reports that already took
 * part in a firing (so one burst fires once), absence checks still due, and per-rule counters.
 */
public class RuleMemory {

    public List<RuleEvent> events = new ArrayList<>();
    public List<Mark> fired = new ArrayList<>();
    public List<Mark> pending = new ArrayList<>();
    public List<RuleStats> stats = new ArrayList<>();

    /**
     * A (rule, report) pair with a time: fired until {@code until}, or an absence check due at it.
     */
    public static class Mark {
        public String ruleId;
        public String eventId;
        public long until;

        public Mark() {}

        public Mark(String ruleId, String eventId, long until) {
            this.ruleId = ruleId;
            this.eventId = eventId;
            this.until = until;
        }
    }

    public static class RuleStats {
        public String ruleId;
        public long evaluations;
        public long firings;
        public long lastFiredAt;

        public RuleStats() {}

        public RuleStats(String ruleId) {
            this.ruleId = ruleId;
        }
    }

    public RuleStats stats(String ruleId) {
        for (RuleStats s : stats) {
            if (s.ruleId.equals(ruleId)) {
                return s;
            }
        }
        RuleStats s = new RuleStats(ruleId);
        stats.add(s);
        return s;
    }

    public boolean isEmpty() {
        return events.isEmpty() && fired.isEmpty() && pending.isEmpty();
    }
}
