package org.cityops.local;

import io.vertx.core.Vertx;
import io.vertx.core.http.ClientWebSocket;
import io.vertx.core.http.WebSocketClient;
import io.vertx.core.http.WebSocketConnectOptions;
import io.vertx.core.json.JsonObject;
import java.net.URI;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

/**
 * A screen connected to dashboard-feed that holds incidents as screen.js does: snapshot and newer
 * deltas, a {@code correction} replaces, {@code withdrawn} removes. The fault drills compare it
 * with what Kafka committed.
 */
final class ScreenMirror implements AutoCloseable {

    private final WebSocketClient client; // held: Vert.x closes an unreferenced client
    private final ClientWebSocket socket;
    private final Map<String, JsonObject> incidents = new ConcurrentHashMap<>();

    private ScreenMirror(WebSocketClient client, ClientWebSocket socket) {
        this.client = client;
        this.socket = socket;
    }

    /** Connects to {@code screenUrl} (http://host:port/) with {@code token}. */
    static ScreenMirror connect(Vertx vertx, String screenUrl, String token) throws Exception {
        URI screen = URI.create(screenUrl);
        WebSocketClient client = vertx.createWebSocketClient();
        ScreenMirror mirror = new ScreenMirror(client, client.webSocket());
        mirror.socket.textMessageHandler(mirror::receive);
        mirror.socket
                .connect(
                        new WebSocketConnectOptions()
                                .setHost(screen.getHost())
                                .setPort(screen.getPort())
                                .setURI("/ws/screen?token=" + token))
                .toCompletionStage()
                .toCompletableFuture()
                .get(10, TimeUnit.SECONDS);
        return mirror;
    }

    private void receive(String text) {
        JsonObject message = new JsonObject(text);
        switch (message.getString("type")) {
            case "snapshot" -> { // replaces everything held, as screen.js does
                incidents.clear();
                message.getJsonArray("incidents").forEach(i -> newer((JsonObject) i));
            }
            case "delta" -> newer(message.getJsonObject("incident"));
            case "correction" -> {
                JsonObject incident = message.getJsonObject("incident");
                incidents.put(incident.getString("incidentId"), incident);
            }
            case "withdrawn" -> incidents.remove(message.getString("incidentId"));
            default -> {}
        }
    }

    private void newer(JsonObject incident) {
        incidents.merge(
                incident.getString("incidentId"),
                incident,
                (held, next) -> next.getLong("version") > held.getLong("version") ? next : held);
    }

    /** Incident id → the version on the screen. */
    Map<String, Long> versions() {
        Map<String, Long> versions = new HashMap<>();
        incidents.forEach((id, incident) -> versions.put(id, incident.getLong("version")));
        return versions;
    }

    @Override
    public void close() {
        socket.close();
        client.close();
    }
}
