package org.cityops.api;

import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;
import org.cityops.access.AccessDenied;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One JSON body for every error: {@code
 * {"error":{"status":400,"code":"bad_request","field":"limit", "message":"..."}}}.
 */
final class ApiErrors {

    private static final Logger LOG = LoggerFactory.getLogger(ApiErrors.class);

    private ApiErrors() {}

    static void handle(RoutingContext ctx) {
        Throwable failure = ctx.failure();
        int status;
        String code;
        String field = null;
        String message;
        if (failure instanceof ApiException e) {
            status = e.status();
            code = e.code();
            field = e.field();
            message = e.getMessage();
        } else if (failure instanceof AccessDenied e) {
            status = e.status();
            code = status == 401 ? "unauthenticated" : "forbidden";
            message = e.getMessage();
            if (status == 401) {
                ctx.response().putHeader("WWW-Authenticate", "Bearer realm=\"cityops\"");
            }
        } else if (failure == null) {
            status = ctx.statusCode() > 0 ? ctx.statusCode() : 500;
            code =
                    switch (status) {
                        case 404 -> "not_found";
                        case 405 -> "method_not_allowed";
                        case 413 -> "payload_too_large";
                        default -> "error";
                    };
            message =
                    switch (status) {
                        case 404 -> "no such route: " + ctx.request().path();
                        case 413 -> "the request body is too large (at most 64 KiB)";
                        default -> "request failed";
                    };
        } else {
            LOG.error(
                    "unexpected failure on {} {}",
                    ctx.request().method(),
                    ctx.request().path(),
                    failure);
            status = 500;
            code = "internal_error";
            message = "internal error; it has been logged";
        }
        send(ctx, status, code, field, message);
    }

    static void send(RoutingContext ctx, int status, String code, String field, String message) {
        JsonObject error =
                new JsonObject().put("status", status).put("code", code).put("message", message);
        if (field != null) {
            error.put("field", field);
        }
        ctx.response()
                .setStatusCode(status)
                .putHeader("Content-Type", "application/json")
                .end(new JsonObject().put("error", error).encode());
    }
}
