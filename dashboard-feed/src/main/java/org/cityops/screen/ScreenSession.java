package org.cityops.screen;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.List;
import org.cityops.access.Reader;
import org.cityops.livestate.Delta;
import org.cityops.livestate.Documents;
import org.cityops.livestate.StreamIds;

/**
 * One connected screen, over a WebSocket or Server-Sent Events ({@link ScreenChannel}). Lives on
 * the event loop. Until its snapshot (or catch-up) is sent it buffers live deltas; afterwards it
 * forwards each delta newer than what it last sent, filtered by its token and subscription and
 * masked for its reader. A screen that cannot keep up gets the newest state of each incident when
 * it drains (bounded); beyond the bound it is closed with 1013 and resumes from its last id, so a
 * slow screen never holds memory or the others back.
 */
final class ScreenSession {

    static final int MAX_BUFFERED = 5_000;

    /**
     * Incidents whose newest state waits for a slow screen's socket to drain, one entry per
     * incident (a newer state replaces an older one); beyond this the screen is closed with 1013.
     */
    static final int MAX_COALESCED = 2_000;

    private final java.util.LinkedHashMap<String, String> coalesced =
            new java.util.LinkedHashMap<>();

    private final ScreenChannel channel;
    private final Reader reader;
    private final List<Delta> buffered = new ArrayList<>();
    private boolean live;
    private String lastSentId = StreamIds.BEGINNING;
    private boolean closed;
    private JsonArray pendingKpis;
    private JsonArray pendingFeeds;

    private final DeltaCache deltaCache;
    private final ScreenFilter filter;

    ScreenSession(
            ScreenChannel channel, Reader reader, DeltaCache deltaCache, ScreenFilter filter) {
        this.channel = channel;
        this.reader = reader;
        this.deltaCache = deltaCache;
        this.filter = filter;
    }

    Reader reader() {
        return reader;
    }

    /** Sends the snapshot and switches to live deltas. */
    void sendSnapshot(
            String tip,
            long total,
            List<String> documents,
            List<String> alerts,
            List<String> escalations,
            JsonArray warnings) {
        JsonArray incidents = new JsonArray();
        for (String document : documents) {
            ObjectNode incident = Documents.parse(document);
            if (visible(incident)) {
                incidents.add(shown(incident));
            }
        }
        write(
                new JsonObject()
                        .put("type", "snapshot")
                        .put("lastId", tip)
                        .put("total", total)
                        .put("role", reader.role().name())
                        .put("department", reader.restrictedToDepartment())
                        .put("incidents", incidents)
                        .put("alerts", visibleAlerts(alerts))
                        .put("escalations", visibleAlerts(escalations))
                        .put("warnings", warnings));
        goLive(tip);
    }

    /** Sends the deltas a resuming screen missed and switches to live deltas. */
    void sendCatchUp(String from, List<Delta> missed) {
        write(
                new JsonObject()
                        .put("type", "resume")
                        .put("from", from)
                        .put("role", reader.role().name())
                        .put("department", reader.restrictedToDepartment()));
        String last = from;
        for (Delta delta : missed) {
            sendDelta(delta);
            last = delta.streamId();
        }
        goLive(last);
    }

    private void goLive(String after) {
        lastSentId = after;
        live = true;
        List<Delta> pending = new ArrayList<>(buffered);
        buffered.clear();
        onDeltas(pending);
        if (pendingKpis != null) {
            sendKpis(pendingKpis);
            pendingKpis = null;
        }
        if (pendingFeeds != null) {
            sendFeeds(pendingFeeds);
            pendingFeeds = null;
        }
    }

    /** Every feed's health (anyone may see it); held until the snapshot has gone out. */
    void sendFeeds(JsonArray feeds) {
        if (!live) {
            pendingFeeds = feeds;
            return;
        }
        if (!channel.full()) {
            write(new JsonObject().put("type", "feeds").put("feeds", feeds));
        }
    }

    /**
     * The newest day's KPI rows (city and departments); a department's staff get their department's
     * row only, as from the API. Held until the snapshot has gone out.
     */
    void sendKpis(JsonArray rows) {
        if (!live) {
            pendingKpis = rows;
            return;
        }
        String department = reader.restrictedToDepartment();
        JsonArray visible = new JsonArray();
        for (Object o : rows) {
            JsonObject row = (JsonObject) o;
            if (department == null || department.equals(row.getString("department"))) {
                visible.add(row);
            }
        }
        if (!channel.full()) {
            write(new JsonObject().put("type", "kpis").put("rows", visible));
        }
    }

    /** Holds deltas until the next snapshot has gone out (the live view was rebuilt). */
    void awaitSnapshot() {
        live = false;
    }

    void onDeltas(List<Delta> deltas) {
        if (closed) {
            return;
        }
        if (!live) {
            buffered.addAll(deltas);
            if (buffered.size() > MAX_BUFFERED) {
                close((short) 1013, "too far behind; reconnect to get a fresh snapshot");
            }
            return;
        }
        for (Delta delta : deltas) {
            if (StreamIds.compare(delta.streamId(), lastSentId) > 0) {
                sendDelta(delta);
                lastSentId = delta.streamId();
            }
        }
    }

    private JsonArray visibleAlerts(List<String> alerts) {
        JsonArray visible = new JsonArray();
        for (String doc : alerts) {
            JsonObject alert = new JsonObject(doc);
            if (alertVisible(alert)) {
                visible.add(alert);
            }
        }
        return visible;
    }

    private boolean alertVisible(JsonObject alert) {
        String department = reader.restrictedToDepartment();
        return department == null || department.equals(alert.getString("department"));
    }

    private void sendDelta(Delta delta) {
        if (closed || channel.isClosed()) {
            return; // the screen left (or was closed as too slow) while deltas were on their way
        }
        if (Delta.ESCALATION.equals(delta.kind())) {
            JsonObject escalation = new JsonObject(delta.document());
            if (alertVisible(escalation) && !channel.full()) {
                write(
                        new JsonObject()
                                .put("type", "escalation")
                                .put("id", delta.streamId())
                                .put("escalation", escalation));
            }
            return;
        }
        if (Delta.WARNING.equals(delta.kind())) {
            // public: every screen; kept (coalesced by warning) rather than dropped when slow
            String message =
                    new JsonObject()
                            .put("type", "warning")
                            .put("id", delta.streamId())
                            .put("warning", new JsonObject(delta.document()))
                            .encode();
            if (channel.full() || !coalesced.isEmpty()) {
                coalesce("warning:" + delta.incidentId(), message);
            } else {
                channel.send(message, delta.streamId());
            }
            return;
        }
        if (delta.isAlert()) {
            JsonObject alert = new JsonObject(delta.document());
            if (alertVisible(alert) && !channel.full()) {
                write(
                        new JsonObject()
                                .put("type", "alert")
                                .put("id", delta.streamId())
                                .put("alert", alert));
            }
            return;
        }
        if (Delta.REBUILT.equals(delta.kind())) {
            return; // not for screens: the verticle answers it with a fresh snapshot
        }
        if (Delta.WITHDRAWN.equals(delta.kind())) {
            // a failed job run showed it and never committed it: every screen drops the id
            String message =
                    new JsonObject()
                            .put("type", "withdrawn")
                            .put("id", delta.streamId())
                            .put("incidentId", delta.incidentId())
                            .encode();
            if (channel.full() || !coalesced.isEmpty()) {
                coalesce(delta.incidentId(), message);
            } else {
                channel.send(message, delta.streamId());
            }
            return;
        }
        DeltaCache.Prepared incident = deltaCache.of(delta);
        if (!reader.canSeeIncident(incident.departments())
                || !filter.matches(
                        incident.district(), incident.departments(), incident.severity())) {
            return;
        }
        String text =
                reader.seesPersonalData(incident.departments())
                        ? incident.fullText()
                        : incident.maskedText();
        // spliced, not re-encoded: the id is a stream id (digits and a dash)
        String message =
                "{\"type\":\""
                        + (Delta.CORRECTION.equals(delta.kind()) ? "correction" : "delta")
                        + "\",\"id\":\""
                        + delta.streamId()
                        + "\",\"incident\":"
                        + text
                        + "}";
        if (channel.full() || !coalesced.isEmpty()) {
            coalesce(incident.incidentId(), message);
            return;
        }
        channel.send(message, delta.streamId());
    }

    /**
     * The socket cannot take more: keep only the newest state of each incident until it drains, so
     * a slow screen costs at most {@link #MAX_COALESCED} documents and then catches up with the
     * latest of everything (in the order incidents last changed, so ids still increase).
     */
    private void coalesce(String incidentId, String message) {
        coalesced.remove(incidentId);
        coalesced.put(incidentId, message);
        if (coalesced.size() > MAX_COALESCED) {
            coalesced.clear();
            close((short) 1013, "screen is not reading; resume from your last id");
            return;
        }
        channel.onDrain(this::flushCoalesced);
    }

    private void flushCoalesced() {
        var pending = coalesced.entrySet().iterator();
        while (pending.hasNext() && !closed && !channel.full()) {
            var next = pending.next();
            channel.send(next.getValue(), null);
            pending.remove();
        }
    }

    void heartbeat(long now) {
        if (!closed && live) {
            write(
                    new JsonObject()
                            .put("type", "heartbeat")
                            .put("id", lastSentId)
                            .put("serverTime", now));
        }
    }

    private boolean visible(ObjectNode incident) {
        return reader.canSeeIncident(departments(incident))
                && filter.matches(
                        incident.path("location").path("district").asText(null),
                        departments(incident),
                        incident.path("severity").asInt());
    }

    private JsonObject shown(ObjectNode incident) {
        ObjectNode doc =
                reader.seesPersonalData(departments(incident))
                        ? incident
                        : Documents.maskIncident(incident);
        return new JsonObject(doc.toString());
    }

    private static List<String> departments(ObjectNode incident) {
        return org.cityops.livestate.Documents.involved(incident);
    }

    private void write(JsonObject message) {
        if (!closed) {
            channel.send(message.encode(), message.getString("id", message.getString("lastId")));
        }
    }

    void close(short code, String reason) {
        if (!closed) {
            closed = true;
            channel.close(code, reason);
        }
    }

    boolean isClosed() {
        return closed;
    }

    void markClosed() {
        closed = true;
    }
}
