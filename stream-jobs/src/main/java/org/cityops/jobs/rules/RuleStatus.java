package org.cityops.jobs.rules;

/**
 * A rule's state for readers: its definition part or its metrics part, versioned (a Flink POJO).
 */
public class RuleStatus {

    public static final String DEFINITION = "definition";
    public static final String METRICS = "metrics";

    public String ruleId;
    public String part;
    public long version;
    public String doc;

    public RuleStatus() {}

    public RuleStatus(String ruleId, String part, long version, String doc) {
        this.ruleId = ruleId;
        this.part = part;
        this.version = version;
        this.doc = doc;
    }
}
