package org.cityops.api;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.Map;
import java.util.stream.Collectors;
import org.cityops.access.AccessDenied;
import org.cityops.access.Reader;
import org.cityops.access.Role;
import org.cityops.livestate.Documents;
import org.cityops.livestate.LiveView;
import org.cityops.schemas.contract.FeedSpec;

/** Feed health and recent dead letters. Blocking. */
final class FeedReads {

    private final LiveView live;

    FeedReads(LiveView live) {
        this.live = live;
    }

    /** Every one of the five feeds, with zero counts for a feed that has sent nothing yet. */
    JsonArray feeds() {
        Map<String, JsonObject> reported =
                live.feedHealth().stream()
                        .map(JsonObject::new)
                        .collect(Collectors.toMap(f -> f.getString("feed"), f -> f));
        JsonArray feeds = new JsonArray();
        for (FeedSpec<?> spec : FeedSpec.all()) {
            feeds.add(
                    reported.getOrDefault(
                            spec.name(),
                            new JsonObject()
                                    .put("feed", spec.name())
                                    .put("department", spec.department().name())
                                    .put("accepted", 0)
                                    .put("rejected", 0)
                                    .put("duplicates", 0)
                                    .putNull("lastReceivedAt")));
        }
        reported.keySet().stream() // feeds that are no department's: CAP alerts
                .filter(name -> FeedSpec.byName(name).isEmpty())
                .sorted()
                .forEach(name -> feeds.add(reported.get(name)));
        return feeds;
    }

    JsonObject deadLetters(Reader reader, String feedName, int limit) {
        if (feedName == null) {
            throw ApiException.badRequest("feed", "feed is required, e.g. feed=police.calls");
        }
        if (Documents.CAP_ALERTS.equals(feedName)) {
            if (reader.role() != Role.operator && reader.role() != Role.admin) {
                throw AccessDenied.forbidden(
                        "dead letters of cap.alerts are for operators and administrators");
            }
            JsonArray items = new JsonArray();
            live.deadLetters(feedName, limit).forEach(doc -> items.add(new JsonObject(doc)));
            return new JsonObject().put("feed", feedName).put("items", items);
        }
        FeedSpec<?> feed =
                FeedSpec.byName(feedName)
                        .orElseThrow(
                                () ->
                                        ApiException.badRequest(
                                                "feed",
                                                "feed must be one of police.calls, fire.alarms, medical.calls, traffic.incidents, traffic.readings, cap.alerts"));
        if (!reader.canReadDeadLetters(feed)) {
            throw AccessDenied.forbidden(
                    "a " + reader.role() + " may not read dead letters of " + feedName);
        }
        JsonArray items = new JsonArray();
        live.deadLetters(feed.name(), limit).forEach(doc -> items.add(new JsonObject(doc)));
        return new JsonObject().put("feed", feed.name()).put("items", items);
    }
}
