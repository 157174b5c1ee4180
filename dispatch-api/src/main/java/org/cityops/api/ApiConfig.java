package org.cityops.api;

import io.vertx.core.json.JsonObject;
import org.cityops.access.AccessConfig;

/**
 * dispatch-api settings, from the verticle's JSON config (keys as below; JWT keys in {@link
 * AccessConfig}). {@code kafka} may be absent: reads work, actions answer 503. {@code
 * rateLimitPerSecond}: requests per second per token (default 200).
 */
record ApiConfig(
        String host,
        int port,
        String liveView,
        AccessConfig access,
        String kafka,
        String topicPrefix,
        int rateLimitPerSecond) {

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
                config.getInteger("rateLimitPerSecond", 200));
    }
}
