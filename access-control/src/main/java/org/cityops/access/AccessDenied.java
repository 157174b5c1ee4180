package org.cityops.access;

/** A refused request: 401 when the caller is not authenticated, 403 when not allowed. */
public final class AccessDenied extends RuntimeException {

    private final int status;

    private AccessDenied(int status, String message) {
        super(message, null, false, false);
        this.status = status;
    }

    public static AccessDenied unauthenticated(String message) {
        return new AccessDenied(401, message);
    }

    public static AccessDenied forbidden(String message) {
        return new AccessDenied(403, message);
    }

    public int status() {
        return status;
    }
}
