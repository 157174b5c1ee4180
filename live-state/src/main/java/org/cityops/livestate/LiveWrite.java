package org.cityops.livestate;

import java.util.List;

/** One change to the live view. Every kind is idempotent: replaying it changes nothing. */
public sealed interface LiveWrite {

    /**
     * The latest state of an incident, applied only if {@code version} is newer than what the view
     * holds; an applied write is also appended to the screen delta stream.
     */
    record IncidentWrite(
            String incidentId,
            long version,
            String status,
            List<String> departments,
            String district,
            long sortTimeMillis,
            String document)
            implements LiveWrite {}

    /** A feed's health counters; applied only if {@code version} (total records seen) is newer. */
    record FeedHealthWrite(String feed, long version, String document) implements LiveWrite {}

    /**
     * A detection rule's alert, kept in a bounded list; a repeat is ignored. One that is not a dry
     * run is also appended to the screen delta stream.
     */
    record AlertWrite(String alertId, long timeMillis, boolean dryRun, String document)
            implements LiveWrite {}

    /** A missed deadline's escalation, kept in a bounded list and appended to the delta stream. */
    record EscalationWrite(String escalationId, long timeMillis, String document)
            implements LiveWrite {}

    /**
     * An audit record (a change of an incident, a refused action, a read of personal data), kept in
     * a bounded list of all and a bounded list per incident; a repeat is ignored.
     */
    record AuditWrite(String auditId, String incidentId, long timeMillis, String document)
            implements LiveWrite {}

    /** A rule's definition or metrics document ({@code part}), applied only if newer. */
    record RuleStatusWrite(String ruleId, String part, long version, String document)
            implements LiveWrite {}

    /**
     * One group's KPIs of one day ({@code group} "city", "department:police", "district:Mission";
     * {@code day} ISO date), applied only if {@code version} (facts folded in) is newer.
     */
    record KpiWrite(String group, String day, long version, String document) implements LiveWrite {}

    /**
     * A public warning (from CAP) in its latest state, applied only if {@code version} (its CAP
     * {@code sent} time) is newer; an applied one that is {@code actual} is also appended to the
     * screen delta stream (tests and exercises never reach a screen).
     */
    record WarningWrite(String warningId, long version, boolean actual, String document)
            implements LiveWrite {}

    /** A recent dead letter of a feed (masked), kept in a bounded list; a repeat is ignored. */
    record DeadLetterWrite(String feed, String deadLetterId, long timeMillis, String document)
            implements LiveWrite {}
}
