package org.cityops.screen;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import org.cityops.livestate.Delta;
import org.cityops.livestate.Documents;

/**
 * An incident delta prepared once for every screen it goes to: the departments it involves and its
 * text as stored (for readers who may see personal data) or masked. A thousand screens then cost
 * one parse and one masking per delta, not a thousand. Used on the verticle's event loop only; it
 * holds the current batch (cleared as each batch arrives) and catch-up deltas prepared on demand.
 */
final class DeltaCache {

    /** What every screen needs to know about one incident delta. */
    static final class Prepared {
        private final String document;
        private List<String> departments;
        private String masked;
        private ObjectNode parsed;

        private Prepared(String document) {
            this.document = document;
        }

        String incidentId() {
            return parsed().path("incidentId").asText();
        }

        String district() {
            return parsed().path("location").path("district").asText(null);
        }

        int severity() {
            return parsed().path("severity").asInt();
        }

        List<String> departments() {
            if (departments == null) {
                departments = Documents.involved(parsed());
            }
            return departments;
        }

        /** The document as stored: with personal data. */
        String fullText() {
            return document;
        }

        /** The document without personal data (parsed and masked only if it has any). */
        String maskedText() {
            if (masked == null) {
                masked =
                        document.contains("\"personalData\":{")
                                ? Documents.maskIncident(parsed()).toString()
                                : document;
            }
            return masked;
        }

        private ObjectNode parsed() {
            if (parsed == null) {
                parsed = Documents.parse(document);
            }
            return parsed;
        }
    }

    private final Map<Delta, Prepared> current = new IdentityHashMap<>();

    /** A new batch from the stream: what was prepared for the last one is no longer needed. */
    void nextBatch() {
        current.clear();
    }

    Prepared of(Delta delta) {
        return current.computeIfAbsent(delta, d -> new Prepared(d.document()));
    }
}
