package org.cityops.api;

import io.vertx.core.json.JsonObject;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.DescribeClusterOptions;
import org.cityops.livestate.LiveView;

/** Whether the API can do its work: the live view answers and, when configured, Kafka does. */
final class Readiness implements AutoCloseable {

    private final LiveView live;
    private final Admin kafka;

    Readiness(LiveView live, String bootstrapServers) {
        this.live = live;
        if (bootstrapServers == null) {
            this.kafka = null;
        } else {
            Properties props = new Properties();
            props.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
            props.put(AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, "2000");
            props.put(AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, "2000");
            props.put(AdminClientConfig.CLIENT_ID_CONFIG, "dispatch-api-readiness");
            this.kafka = Admin.create(props);
        }
    }

    /** Blocking; at most about two seconds. */
    JsonObject check() {
        boolean liveUp;
        try {
            liveUp = live.ping();
        } catch (RuntimeException e) {
            liveUp = false;
        }
        JsonObject state =
                new JsonObject()
                        .put("liveView", liveUp ? "UP" : "DOWN")
                        .put("liveViewIs", live.describe());
        boolean kafkaUp = true;
        if (kafka != null) {
            try {
                kafka.describeCluster(new DescribeClusterOptions().timeoutMs(2000))
                        .nodes()
                        .get(2500, TimeUnit.MILLISECONDS);
            } catch (Exception e) {
                kafkaUp = false;
            }
            state.put("kafka", kafkaUp ? "UP" : "DOWN");
        } else {
            state.put("kafka", "NOT_CONFIGURED");
        }
        return state.put("ready", liveUp && kafkaUp);
    }

    @Override
    public void close() {
        if (kafka != null) {
            kafka.close();
        }
    }
}
