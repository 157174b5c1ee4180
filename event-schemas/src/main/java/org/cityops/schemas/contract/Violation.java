package org.cityops.schemas.contract;

/**
 * Why a record breaks the feed contract, in words a person can act on. {@code field} names the
 * offending field (dotted path) when one is to blame, otherwise it is null.
 */
public record Violation(String field, String reason) {

    public static Violation of(String field, String reason) {
        return new Violation(field, reason);
    }

    public static Violation whole(String reason) {
        return new Violation(null, reason);
    }

    /** The reason with its field, as written to a dead letter. */
    public String message() {
        return field == null ? reason : field + ": " + reason;
    }
}
