package org.cityops.access;

import io.vertx.core.json.JsonObject;
import java.nio.charset.StandardCharsets;

/**
 * How tokens are checked. HS256 with a shared secret (development and single-site installs); the
 * secret comes from configuration ({@code CITYOPS_JWT_SECRET} or the service config), never code.
 */
public record AccessConfig(String hmacSecret, String issuer) {

    public static final String DEFAULT_ISSUER = "cityops";

    public AccessConfig {
        if (hmacSecret == null || hmacSecret.getBytes(StandardCharsets.UTF_8).length < 32) {
            throw new IllegalArgumentException("the JWT secret must be at least 32 bytes");
        }
        if (issuer == null) {
            issuer = DEFAULT_ISSUER;
        }
    }

    /**
     * From a service's JSON config ({@code jwtSecret}, {@code jwtIssuer}), else {@code
     * CITYOPS_JWT_SECRET}.
     */
    public static AccessConfig from(JsonObject config) {
        String secret = config.getString("jwtSecret", System.getenv("CITYOPS_JWT_SECRET"));
        if (secret == null) {
            throw new IllegalArgumentException(
                    "no JWT secret: set jwtSecret in the config or CITYOPS_JWT_SECRET");
        }
        return new AccessConfig(secret, config.getString("jwtIssuer"));
    }
}
