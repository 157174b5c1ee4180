package org.cityops.screen;

import io.vertx.core.http.HttpServerResponse;
import io.vertx.core.http.ServerWebSocket;
import io.vertx.core.json.JsonObject;

/**
 * How messages reach one screen: a WebSocket, or Server-Sent Events for clients that cannot open
 * one. The session speaks the same protocol over either (docs/screen-protocol.md).
 */
interface ScreenChannel {

    /** One protocol message (compact JSON, so never a line break); {@code id}: its stream id. */
    void send(String json, String id);

    /** True when the transport holds as much unsent as it may. */
    boolean full();

    boolean isClosed();

    void onDrain(Runnable drained);

    void close(short code, String reason);

    /** A WebSocket: text frames; closing carries the code and reason. */
    record WebSocket(ServerWebSocket socket) implements ScreenChannel {
        @Override
        public void send(String json, String id) {
            if (!socket.isClosed()) { // the screen may leave while its snapshot is being read
                socket.writeTextMessage(json);
            }
        }

        @Override
        public boolean full() {
            return socket.isClosed() || socket.writeQueueFull(); // a closed socket throws here
        }

        @Override
        public boolean isClosed() {
            return socket.isClosed();
        }

        @Override
        public void onDrain(Runnable drained) {
            socket.drainHandler(v -> drained.run());
        }

        @Override
        public void close(short code, String reason) {
            socket.close(code, reason);
        }
    }

    /**
     * Server-Sent Events: each message is an event whose data is the JSON; stream positions go in
     * the {@code id:} field, so a browser's EventSource resumes by itself (Last-Event-ID). Closing
     * sends a {@code close} event with the code and reason, then ends the stream.
     */
    final class ServerSentEvents implements ScreenChannel {
        private final HttpServerResponse response;
        private boolean ended;

        ServerSentEvents(HttpServerResponse response) {
            this.response = response;
            response.setChunked(true)
                    .putHeader("Content-Type", "text/event-stream; charset=utf-8")
                    .putHeader("Cache-Control", "no-cache")
                    .putHeader("X-Accel-Buffering", "no");
            response.closeHandler(v -> ended = true);
        }

        @Override
        public void send(String json, String id) {
            if (!ended) {
                response.write((id == null ? "" : "id: " + id + "\n") + "data: " + json + "\n\n");
            }
        }

        @Override
        public boolean full() {
            return response.writeQueueFull();
        }

        @Override
        public boolean isClosed() {
            return ended || response.closed();
        }

        @Override
        public void onDrain(Runnable drained) {
            response.drainHandler(v -> drained.run());
        }

        @Override
        public void close(short code, String reason) {
            if (!ended) {
                send(
                        new JsonObject()
                                .put("type", "close")
                                .put("code", code)
                                .put("reason", reason)
                                .encode(),
                        null);
                ended = true;
                response.end();
            }
        }
    }
}
