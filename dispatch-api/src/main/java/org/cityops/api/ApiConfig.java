package org.cityops.api;

import io.vertx.core.json.JsonObject;
import org.cityops.access.AccessConfig;

/** dispatch-api settings, from the verticle's JSON config (keys as below). */
/** {@code kafka} may be absent: reads work, commands answer 503. */
record ApiConfig(
        String host,
        int port,
        String liveView,
        AccessConfig access,
        String kafka,
        String topicPrefix) {

    static ApiConfig from(JsonObject config) {
        String secret = config.getString("jwtSecret", System.getenv("CITYOPS_JWT_SECRET"));
        if (secret == null) {
            throw new IllegalArgumentException(
                    "dispatch-api needs jwtSecret (or CITYOPS_JWT_SECRET)");
        }
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
                config.getString("topicPrefix", ""));
    }
}
