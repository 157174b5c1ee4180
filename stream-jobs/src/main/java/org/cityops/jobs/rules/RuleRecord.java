package org.cityops.jobs.rules;

/** A record of the compacted rules topic: the rule id, its JSON (null retires it), its offset. */
public class RuleRecord {

    public String ruleId;
    public String json;
    public long offset;

    public RuleRecord() {}

    public RuleRecord(String ruleId, String json, long offset) {
        this.ruleId = ruleId;
        this.json = json;
        this.offset = offset;
    }
}
