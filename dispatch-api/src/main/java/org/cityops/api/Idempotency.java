package org.cityops.api;

import io.vertx.core.json.JsonObject;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Optional;
import org.cityops.access.Reader;
import org.cityops.livestate.LiveView;

/**
 * Safe retries: an action sent with an {@code Idempotency-Key} is performed once per reader and
 * key. The key is claimed in the live view (atomic across API instances) before anything is
 * published; its first answer is kept for a day and returned to every repeat. The same key with a
 * different request is refused (422); a repeat while the first is still being handled gets 409.
 */
final class Idempotency {

    static final String HEADER = "Idempotency-Key";
    private static final String PENDING = "pending";
    private static final long CLAIM_SECONDS = 60;
    private static final long KEEP_SECONDS = 24 * 3600;

    private final LiveView live;

    Idempotency(LiveView live) {
        this.live = live;
    }

    /** A key being handled: who sent it, for which request. */
    record Claim(String storeKey, String requestHash) {}

    /** The first answer to a request, as stored. */
    record Answer(int status, JsonObject body) {}

    /**
     * Claims the key for this request (blocking): empty result means go ahead; otherwise the stored
     * answer to return.
     */
    Optional<Answer> claim(Claim claim) {
        Optional<String> held = live.claim(claim.storeKey(), PENDING, CLAIM_SECONDS);
        if (held.isEmpty()) {
            return Optional.empty();
        }
        if (held.get().equals(PENDING)) {
            throw ApiException.conflict(
                    "a request with this Idempotency-Key is still being handled; retry shortly");
        }
        JsonObject stored = new JsonObject(held.get());
        if (!stored.getString("request").equals(claim.requestHash())) {
            throw ApiException.keyReused(
                    "this Idempotency-Key was used for a different request; use a new key");
        }
        return Optional.of(new Answer(stored.getInteger("status"), stored.getJsonObject("body")));
    }

    void remember(Claim claim, Answer answer) {
        live.remember(
                claim.storeKey(),
                new JsonObject()
                        .put("request", claim.requestHash())
                        .put("status", answer.status())
                        .put("body", answer.body())
                        .encode(),
                KEEP_SECONDS);
    }

    /** The request failed before anything was published: a retry may try again. */
    void release(Claim claim) {
        live.release(claim.storeKey());
    }

    static Claim claimOf(Reader reader, String key, String method, String path, String body) {
        return new Claim(
                "idem:" + reader.subject() + ":" + key,
                sha256(method + " " + path + "\n" + (body == null ? "" : body)));
    }

    private static String sha256(String text) {
        try {
            return HexFormat.of()
                    .formatHex(
                            MessageDigest.getInstance("SHA-256")
                                    .digest(text.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
