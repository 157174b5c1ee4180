package org.cityops.access;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * How tokens are checked: HS256 with a shared secret (development and single-site installs), and/or
 * RS256 with an identity provider's public key (PEM) or key set (JWKS, e.g. a file mounted from a
 * secret). Keys come from configuration, never code. Only a shared secret can issue tokens.
 */
public record AccessConfig(
        String hmacSecret, String issuer, String rsaPublicKeyPem, List<JsonObject> jwks) {

    public static final String DEFAULT_ISSUER = "cityops";

    public AccessConfig {
        if (hmacSecret != null && hmacSecret.getBytes(StandardCharsets.UTF_8).length < 32) {
            throw new IllegalArgumentException("the JWT secret must be at least 32 bytes");
        }
        jwks = jwks == null ? List.of() : List.copyOf(jwks);
        if (hmacSecret == null && rsaPublicKeyPem == null && jwks.isEmpty()) {
            throw new IllegalArgumentException(
                    "no JWT key: set jwtSecret (HS256), jwtPublicKeyPem (RS256) or jwks/jwksFile");
        }
        if (issuer == null) {
            issuer = DEFAULT_ISSUER;
        }
    }

    public AccessConfig(String hmacSecret, String issuer) {
        this(hmacSecret, issuer, null, List.of());
    }

    public boolean canIssue() {
        return hmacSecret != null;
    }

    /**
     * From a service's JSON config: {@code jwtSecret} (else {@code CITYOPS_JWT_SECRET}), {@code
     * jwtPublicKeyPem}, {@code jwks} (an array of JWKs) or {@code jwksFile} (a JWKS document), and
     * {@code jwtIssuer}.
     */
    public static AccessConfig from(JsonObject config) {
        String secret = config.getString("jwtSecret", System.getenv("CITYOPS_JWT_SECRET"));
        List<JsonObject> keys = new ArrayList<>();
        JsonArray inline = config.getJsonArray("jwks");
        if (inline != null) {
            inline.forEach(k -> keys.add((JsonObject) k));
        }
        String file = config.getString("jwksFile");
        if (file != null) {
            try {
                new JsonObject(Files.readString(Path.of(file)))
                        .getJsonArray("keys", new JsonArray())
                        .forEach(k -> keys.add((JsonObject) k));
            } catch (IOException e) {
                throw new UncheckedIOException("cannot read the JWKS file " + file, e);
            }
        }
        return new AccessConfig(
                secret, config.getString("jwtIssuer"), config.getString("jwtPublicKeyPem"), keys);
    }
}
