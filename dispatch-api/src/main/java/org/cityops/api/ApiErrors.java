package org.cityops.api;

import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;
import io.vertx.json.schema.OutputUnit;
import io.vertx.openapi.validation.SchemaValidationException;
import io.vertx.openapi.validation.ValidatorException;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
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
        if (failure instanceof io.vertx.ext.web.handler.HttpException http
                && http.getCause() instanceof ValidatorException contract) {
            failure = contract; // the contract's verdict, with the parameter or field to blame
        }
        int status;
        String code;
        String field = null;
        String message;
        if (failure instanceof ApiException e) {
            status = e.status();
            code = e.code();
            field = e.field();
            message = e.getMessage();
        } else if (failure instanceof ValidatorException e) {
            status = 400;
            code = "bad_request";
            field = fieldOf(e);
            message = messageOf(e, field);
        } else if (failure instanceof AccessDenied e) {
            status = e.status();
            code = status == 401 ? "unauthenticated" : "forbidden";
            message = e.getMessage();
            if (status == 401) {
                ctx.response().putHeader("WWW-Authenticate", "Bearer realm=\"cityops\"");
            }
        } else if (failure != null && ctx.statusCode() == 403) {
            status = 403; // CorsHandler: a page from an origin that may not call the API
            code = "forbidden";
            message = "this origin may not call the API from a browser";
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

    private static final Pattern PARAMETER =
            Pattern.compile("(?:parameter|Parameter) ([A-Za-z][A-Za-z0-9-]*)");

    /**
     * The parameter or body field a contract violation names: a parameter by its name, a body field
     * by its JSON pointer ({@code /score}, {@code /eventIds/0} → {@code score}, {@code eventIds});
     * a missing required body field from the schema's message.
     */
    static String fieldOf(ValidatorException e) {
        if (e instanceof SchemaValidationException schema && schema.getOutputUnit() != null) {
            OutputUnit unit = deepest(schema.getOutputUnit());
            String location = firstLocation(schema.getOutputUnit());
            if (location != null) {
                return location.replaceFirst("^#?/+", "").split("/")[0];
            }
            Matcher missing = MISSING_PROPERTY.matcher(String.valueOf(unit.getError()));
            if (missing.find()) {
                return missing.group(1);
            }
            Matcher extra = EXTRA_PROPERTY.matcher(String.valueOf(unit.getError()));
            if (extra.find()) {
                return extra.group(1);
            }
        }
        Matcher parameter = PARAMETER.matcher(String.valueOf(e.getMessage()));
        return parameter.find() ? parameter.group(1) : null;
    }

    private static final Pattern MISSING_PROPERTY =
            Pattern.compile("required property \"?([A-Za-z][A-Za-z0-9]*)");
    private static final Pattern EXTRA_PROPERTY =
            Pattern.compile(
                    "[Pp]roperty \"?([A-Za-z][A-Za-z0-9]*)\"? .*(?:not allowed|additional|unevaluated)");

    /** The first instance location below the root ("/score"), depth first; null if none. */
    private static String firstLocation(OutputUnit unit) {
        String location = unit.getInstanceLocation();
        if (location != null && !location.replaceFirst("^#?/*", "").isEmpty()) {
            return location;
        }
        if (unit.getErrors() != null) {
            for (OutputUnit child : unit.getErrors()) {
                String found = firstLocation(child);
                if (found != null) {
                    return found;
                }
            }
        }
        return null;
    }

    private static OutputUnit deepest(OutputUnit unit) {
        if (unit.getErrors() != null) {
            for (OutputUnit child : unit.getErrors()) {
                if (child.getError() != null || child.getErrors() != null) {
                    return deepest(child);
                }
            }
        }
        return unit;
    }

    private static String messageOf(ValidatorException e, String field) {
        String reason = e.getMessage();
        if (e instanceof SchemaValidationException schema && schema.getOutputUnit() != null) {
            String error = deepest(schema.getOutputUnit()).getError();
            if (error != null) {
                reason = error;
            }
        }
        return (field == null ? "" : field + ": ") + reason;
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
