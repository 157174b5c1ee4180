package org.cityops.api;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.List;
import org.cityops.access.AccessDenied;
import org.cityops.access.Reader;
import org.cityops.livestate.Documents;
import org.cityops.livestate.IncidentPage;
import org.cityops.livestate.IncidentQuery;
import org.cityops.livestate.LiveView;

/** Incident reads from the live view, restricted and masked for the reader. Blocking. */
final class IncidentReads {

    private final LiveView live;

    IncidentReads(LiveView live) {
        this.live = live;
    }

    JsonObject list(Reader reader, IncidentListParams params) {
        IncidentPage page =
                live.incidents(
                        new IncidentQuery(
                                params.status(),
                                params.department(),
                                params.district(),
                                reader.restrictedToDepartment(),
                                params.offset(),
                                params.limit()));
        JsonArray items = new JsonArray();
        for (String document : page.documents()) {
            items.add(forReader(reader, Documents.parse(document)));
        }
        return new JsonObject()
                .put("items", items)
                .put("total", page.total())
                .put("offset", params.offset())
                .put("limit", params.limit());
    }

    JsonObject get(Reader reader, String incidentId) {
        ObjectNode doc =
                live.incident(incidentId)
                        .map(Documents::parse)
                        .orElseThrow(() -> ApiException.notFound("no incident " + incidentId));
        if (!reader.canSeeIncident(departments(doc))) {
            throw AccessDenied.forbidden(
                    "incident "
                            + incidentId
                            + " does not task department "
                            + reader.restrictedToDepartment());
        }
        return forReader(reader, doc);
    }

    private static JsonObject forReader(Reader reader, ObjectNode doc) {
        ObjectNode shown =
                reader.seesPersonalData(departments(doc)) ? doc : Documents.maskIncident(doc);
        return new JsonObject(shown.toString());
    }

    private static List<String> departments(ObjectNode doc) {
        List<String> departments = new ArrayList<>();
        doc.withArray("departments").forEach(d -> departments.add(d.asText()));
        return departments;
    }
}
