package org.cityops.bench;

import io.vertx.core.Vertx;
import io.vertx.core.http.ClientWebSocket;
import io.vertx.core.http.WebSocketClient;
import io.vertx.core.http.WebSocketClientOptions;
import io.vertx.core.http.WebSocketConnectOptions;
import java.net.URI;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.HdrHistogram.ConcurrentHistogram;
import org.HdrHistogram.Histogram;

/**
 * Screens watching the city: WebSocket clients of dashboard-feed that, for every call of the load
 * they see arrive in an incident delta for the first time, record how long after it was produced it
 * reached them — feed record produced → delta received, the latency a leader would feel.
 */
final class ScreenClients {

    final Histogram latencyMicros = new ConcurrentHistogram(3);
    final AtomicLong deltas = new AtomicLong();
    final AtomicLong closed = new AtomicLong();
    private volatile boolean closing;
    final Map<String, Integer> closeReasons = new java.util.concurrent.ConcurrentHashMap<>();
    private final Map<Long, Long> sentNanos;
    private final List<ClientWebSocket> sockets = new ArrayList<>();

    ScreenClients(Map<Long, Long> sentNanos) {
        this.sentNanos = sentNanos;
    }

    /** Connects {@code count} screens; returns how many connected. */
    int connect(Vertx vertx, String screenUrl, String token, int count) throws Exception {
        URI uri = URI.create(screenUrl);
        WebSocketClient client =
                vertx.createWebSocketClient(
                        new WebSocketClientOptions().setMaxConnections(count + 10));
        int connected = 0;
        for (int i = 0; i < count; i++) {
            BitSet seen = new BitSet();
            ClientWebSocket socket = client.webSocket();
            socket.textMessageHandler(text -> onMessage(text, seen));
            socket.closeHandler(
                    v -> {
                        Short code = socket.closeStatusCode();
                        if (!closing && (code == null || code != 1000)) {
                            closed.incrementAndGet(); // closed by the server (e.g. too slow)
                            closeReasons.merge(
                                    socket.closeStatusCode() + " " + socket.closeReason(),
                                    1,
                                    Integer::sum);
                        }
                    });
            socket.connect(
                            new WebSocketConnectOptions()
                                    .setHost(uri.getHost())
                                    .setPort(uri.getPort())
                                    .setURI("/ws/screen?token=" + token))
                    .toCompletionStage()
                    .toCompletableFuture()
                    .get(30, TimeUnit.SECONDS);
            sockets.add(socket);
            connected++;
        }
        return connected;
    }

    /**
     * The load's call ids in a delta, found without parsing it (a thousand screens share a core).
     */
    private static final Pattern CALL = Pattern.compile("\"(?:callId|alarmId)\":\"B(\\d+)\"");

    private void onMessage(String text, BitSet seen) {
        if (!text.startsWith("{\"type\":\"delta\"")) {
            return;
        }
        long now = System.nanoTime();
        deltas.incrementAndGet();
        Matcher call = CALL.matcher(text);
        while (call.find()) {
            int seq = Integer.parseInt(call.group(1));
            if (!seen.get(seq)) {
                seen.set(seq);
                Long sent = sentNanos.get((long) seq);
                if (sent != null) {
                    latencyMicros.recordValue(Math.max(0, (now - sent) / 1000));
                }
            }
        }
    }

    void close() {
        closing = true;
        sockets.forEach(s -> s.close());
    }
}
