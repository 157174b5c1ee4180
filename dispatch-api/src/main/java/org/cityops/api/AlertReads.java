package org.cityops.api;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.cityops.access.AccessDenied;
import org.cityops.access.Reader;
import org.cityops.access.Role;
import org.cityops.livestate.LiveView;

/** Alerts of detection rules and the rules themselves. Blocking. */
final class AlertReads {

    private final LiveView live;

    AlertReads(LiveView live) {
        this.live = live;
    }

    /** Recent alerts; a dispatcher or supervisor sees those addressed to their department. */
    JsonObject alerts(Reader reader, int limit, boolean includeDryRun) {
        JsonArray items = new JsonArray();
        String department = reader.restrictedToDepartment();
        for (String doc : live.alerts(department == null ? limit : limit * 10, includeDryRun)) {
            JsonObject alert = new JsonObject(doc);
            if (department == null || department.equals(alert.getString("department"))) {
                items.add(alert);
            }
            if (items.size() == limit) {
                break;
            }
        }
        return new JsonObject().put("items", items);
    }

    /**
     * Escalations of missed deadlines: supervisors see their department's; operators, leaders,
     * admins all.
     */
    JsonObject escalations(Reader reader, int limit) {
        if (reader.role() == Role.dispatcher) {
            throw AccessDenied.forbidden(
                    "escalations go to supervisors, the command centre and leaders");
        }
        String department = reader.restrictedToDepartment();
        JsonArray items = new JsonArray();
        for (String doc : live.escalations(department == null ? limit : limit * 10)) {
            JsonObject escalation = new JsonObject(doc);
            if (department == null || department.equals(escalation.getString("department"))) {
                items.add(escalation);
            }
            if (items.size() == limit) {
                break;
            }
        }
        return new JsonObject().put("items", items);
    }

    /** Every rule with its status, last rejection and metrics: operators and admins. */
    JsonObject rules(Reader reader) {
        if (reader.role() != Role.operator && reader.role() != Role.admin) {
            throw AccessDenied.forbidden("only operators and admins may read the rules");
        }
        JsonArray items = new JsonArray();
        live.rules().forEach(doc -> items.add(new JsonObject(doc)));
        return new JsonObject().put("items", items);
    }
}
