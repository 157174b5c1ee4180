package org.cityops.access;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.auth.JWTOptions;
import io.vertx.ext.auth.PubSecKeyOptions;
import io.vertx.ext.auth.User;
import io.vertx.ext.auth.authentication.TokenCredentials;
import io.vertx.ext.auth.jwt.JWTAuth;
import io.vertx.ext.auth.jwt.JWTAuthOptions;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.Base64;
import java.util.Optional;
import org.cityops.schemas.Department;

/**
 * JWT bearer tokens: claims {@code sub}, {@code role} and, for dispatchers and supervisors, {@code
 * department}. Verifies signature (HS256, RS256 or a JWKS key by {@code kid}), issuer and expiry,
 * then turns the claims into a {@link Reader}.
 */
public final class Tokens {

    public static final String ROLE_CLAIM = "role";
    public static final String DEPARTMENT_CLAIM = "department";

    private final JWTAuth jwt;
    private final AccessConfig config;

    public Tokens(Vertx vertx, AccessConfig config) {
        this.config = config;
        JWTAuthOptions options =
                new JWTAuthOptions().setJWTOptions(new JWTOptions().setIssuer(config.issuer()));
        if (config.hmacSecret() != null) {
            options.addPubSecKey(
                    new PubSecKeyOptions().setAlgorithm("HS256").setBuffer(config.hmacSecret()));
        }
        if (config.rsaPublicKeyPem() != null) {
            options.addPubSecKey(
                    new PubSecKeyOptions()
                            .setAlgorithm("RS256")
                            .setBuffer(config.rsaPublicKeyPem()));
        }
        if (!config.jwks().isEmpty()) {
            options.setJwks(config.jwks());
        }
        this.jwt = JWTAuth.create(vertx, options);
    }

    public JWTAuth provider() {
        return jwt;
    }

    /** Verifies a raw token and returns its reader; fails with {@link AccessDenied} otherwise. */
    public Future<Reader> verify(String token) {
        if (token == null || token.isBlank()) {
            return Future.failedFuture(AccessDenied.unauthenticated("a bearer token is required"));
        }
        return jwt.authenticate(new TokenCredentials(token))
                .recover(
                        e ->
                                Future.failedFuture(
                                        AccessDenied.unauthenticated("invalid or expired token")))
                .compose(
                        user -> {
                            try {
                                return Future.succeededFuture(reader(user));
                            } catch (AccessDenied e) {
                                return Future.failedFuture(e);
                            }
                        });
    }

    /**
     * The reader of an authenticated user, or {@link AccessDenied} when its claims make no sense.
     */
    public static Reader reader(User user) {
        JsonObject claims = user.principal();
        Role role =
                Role.parse(claims.getString(ROLE_CLAIM))
                        .orElseThrow(() -> AccessDenied.forbidden("the token names no known role"));
        Department department = null;
        if (role.needsDepartment()) {
            department =
                    department(claims.getString(DEPARTMENT_CLAIM))
                            .orElseThrow(
                                    () ->
                                            AccessDenied.forbidden(
                                                    "a "
                                                            + role
                                                            + " token must name a department: police, fire, medical or traffic"));
        }
        return new Reader(claims.getString("sub", "unknown"), role, department);
    }

    /** A development token signed with the shared secret (HS256). */
    public String issue(Reader reader, Duration validFor) {
        if (validFor.toSeconds() <= 0) {
            // a non-positive lifetime would leave the token without "exp": valid for ever
            throw new IllegalArgumentException("a token must be valid for at least a second");
        }
        if (!config.canIssue()) {
            throw new IllegalStateException(
                    "tokens are issued by the identity provider: this service has no shared secret");
        }
        JsonObject claims = new JsonObject().put(ROLE_CLAIM, reader.role().name());
        if (reader.department() != null) {
            claims.put(DEPARTMENT_CLAIM, reader.department().name());
        }
        return jwt.generateToken(
                claims,
                new JWTOptions()
                        .setAlgorithm("HS256")
                        .setIssuer(config.issuer())
                        .setSubject(reader.subject())
                        .setExpiresInSeconds((int) validFor.toSeconds()));
    }

    public static Optional<Department> department(String name) {
        if (name == null) {
            return Optional.empty();
        }
        try {
            Department d = Department.valueOf(name);
            return d == Department.unknown ? Optional.empty() : Optional.of(d);
        } catch (IllegalArgumentException e) {
            return Optional.empty();
        }
    }

    /** A random secret for a development stack that was given none. */
    public static String randomSecret() {
        byte[] bytes = new byte[32];
        new SecureRandom().nextBytes(bytes);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    }
}
