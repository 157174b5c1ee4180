package org.cityops.api;

/** A request the API refuses, with the HTTP status, and the field to blame when there is one. */
public final class ApiException extends RuntimeException {

    private final int status;
    private final String code;
    private final String field;

    private ApiException(int status, String code, String field, String message) {
        super(message, null, false, false);
        this.status = status;
        this.code = code;
        this.field = field;
    }

    public static ApiException badRequest(String field, String message) {
        return new ApiException(400, "bad_request", field, message);
    }

    public static ApiException conflict(String message) {
        return new ApiException(409, "conflict", null, message);
    }

    public static ApiException unavailable(String message) {
        return new ApiException(503, "unavailable", null, message);
    }

    public static ApiException tooManyRequests(String message) {
        return new ApiException(429, "too_many_requests", null, message);
    }

    /** The same Idempotency-Key with a different request. */
    public static ApiException keyReused(String message) {
        return new ApiException(422, "idempotency_key_reused", "Idempotency-Key", message);
    }

    public static ApiException notFound(String message) {
        return new ApiException(404, "not_found", null, message);
    }

    public int status() {
        return status;
    }

    public String code() {
        return code;
    }

    public String field() {
        return field;
    }
}
