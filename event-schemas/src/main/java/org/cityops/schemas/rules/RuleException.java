package org.cityops.schemas.rules;

/** A rule document that cannot be accepted, naming the field and the problem. */
public final class RuleException extends Exception {

    private final String field;

    public RuleException(String field, String message) {
        super(field == null ? message : field + ": " + message, null, false, false);
        this.field = field;
    }

    public String field() {
        return field;
    }
}
