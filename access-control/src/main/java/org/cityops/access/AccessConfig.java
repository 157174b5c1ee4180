package org.cityops.access;

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
}
