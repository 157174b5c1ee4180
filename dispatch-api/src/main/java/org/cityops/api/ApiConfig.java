package org.cityops.api;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.List;
import org.cityops.access.AccessConfig;

/**
 * dispatch-api settings, from the verticle's JSON config (keys as below; JWT keys in {@link
 * AccessConfig}). {@code kafka} may be absent: reads work, actions answer 503. {@code
 * rateLimitPerSecond}: requests per second per token (default 200). {@code corsOrigins}: the
 * origins of pages allowed to call the API from a browser (the command screen's), exact; {@code
 * corsOriginPattern}: or a regular expression (the local stack allows loopback pages). {@code
 * idleTimeoutSeconds}: a connection with no traffic either way is closed after it (default 60).
 */
record ApiConfig(
        String host,
        int port,
        String liveView,
        AccessConfig access,
        String kafka,
        String topicPrefix,
        int rateLimitPerSecond,
        List<String> corsOrigins,
        String corsOriginPattern,
        int idleTimeoutSeconds) {

    static ApiConfig from(JsonObject config) {
        String liveView = config.getString("liveView");
        if (liveView == null) {
            throw new IllegalArgumentException(
                    "dispatch-api needs liveView (redis://host:port#prefix)");
        }
        return new ApiConfig(
                config.getString("host", "127.0.0.1"),
                config.getInteger("port", 8080),
                liveView,
                AccessConfig.from(config),
                config.getString("kafka"),
                config.getString("topicPrefix", ""),
                config.getInteger("rateLimitPerSecond", 200),
                config.getJsonArray("corsOrigins", new JsonArray()).stream()
                        .map(Object::toString)
                        .toList(),
                config.getString("corsOriginPattern"),
                config.getInteger("idleTimeoutSeconds", 60));
    }
}
