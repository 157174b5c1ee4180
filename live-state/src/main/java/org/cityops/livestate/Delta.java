package org.cityops.livestate;

/**
 * One entry of the screen delta stream at a stream position: an incident's new state ({@code kind}
 * "incident", {@code id} the incident id) or a new alert ("alert", the alert id).
 */
public record Delta(
        String streamId, String kind, String incidentId, long version, String document) {

    public static final String INCIDENT = "incident";
    public static final String ALERT = "alert";
    public static final String ESCALATION = "escalation";
    public static final String WARNING = "warning";

    /** An incident put back to its committed version after a job restart (it may go down). */
    public static final String CORRECTION = "correction";

    /** An incident a failed job run wrote and never committed: gone. */
    public static final String WITHDRAWN = "withdrawn";

    /** The live view was rebuilt from Kafka (it had been lost): screens take a fresh snapshot. */
    public static final String REBUILT = "rebuilt";

    public boolean isAlert() {
        return ALERT.equals(kind);
    }
}
