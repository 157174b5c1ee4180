package org.cityops.jobs.sinks;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Instant;
import java.util.List;
import org.cityops.jobs.feedhealth.FeedHealth;
import org.cityops.jobs.kpi.DayKpi;
import org.cityops.jobs.rules.RuleStatus;
import org.cityops.livestate.Documents;
import org.cityops.livestate.LiveWrite;
import org.cityops.schemas.city.Alert;
import org.cityops.schemas.city.DeadLetter;
import org.cityops.schemas.city.Escalation;
import org.cityops.schemas.city.Incident;
import org.cityops.schemas.contract.FeedSpec;

/** The job's live-view writes: incidents, dead letters, feed health. */
public final class LiveWrites {

    private LiveWrites() {}

    public static final class OfIncident implements LiveWriteMapper<Incident> {
        private static final long serialVersionUID = 1L;

        @Override
        public LiveWrite toWrite(Incident incident) {
            return Documents.incidentWrite(incident);
        }
    }

    public static final class OfDeadLetter implements LiveWriteMapper<DeadLetter> {
        private static final long serialVersionUID = 1L;

        @Override
        public LiveWrite toWrite(DeadLetter deadLetter) {
            return Documents.deadLetterWrite(deadLetter);
        }
    }

    public static final class OfAlert implements LiveWriteMapper<Alert> {
        private static final long serialVersionUID = 1L;

        @Override
        public LiveWrite toWrite(Alert alert) {
            return Documents.alertWrite(alert);
        }
    }

    public static final class OfEscalation implements LiveWriteMapper<Escalation> {
        private static final long serialVersionUID = 1L;

        @Override
        public LiveWrite toWrite(Escalation escalation) {
            return Documents.escalationWrite(escalation);
        }
    }

    /** One group's day of KPIs as the API serves it: counts, rates and each phase's spread. */
    public static final class OfDayKpi implements LiveWriteMapper<DayKpi> {
        private static final long serialVersionUID = 1L;
        private static final ObjectMapper JSON = new ObjectMapper();

        @Override
        public LiveWrite toWrite(DayKpi kpi) {
            int colon = kpi.group.indexOf(':');
            ObjectNode doc =
                    JSON.createObjectNode()
                            .put("group", kpi.group)
                            .put("kind", colon < 0 ? kpi.group : kpi.group.substring(0, colon))
                            .put("name", colon < 0 ? kpi.group : kpi.group.substring(colon + 1))
                            .put("day", kpi.day)
                            .put("opened", kpi.opened)
                            .put("closed", kpi.closed)
                            .put("closedOnTime", kpi.closedOnTime)
                            .put("breaches", kpi.breaches)
                            .put("reopened", kpi.reopened)
                            .put("satisfactionCount", kpi.satisfactionCount);
            if (colon > 0) {
                // a row names its department or district; a city row names neither
                doc.put(kpi.group.substring(0, colon), kpi.group.substring(colon + 1));
            }
            doc.put("closureRate", rate(kpi.closed, kpi.opened));
            doc.put("onTimeRate", rate(kpi.closedOnTime, kpi.closed));
            doc.put("reopenRate", rate(kpi.reopened, kpi.closed));
            if (kpi.satisfactionCount > 0) {
                doc.put("satisfaction", (double) kpi.satisfactionSum / kpi.satisfactionCount);
            } else {
                doc.putNull("satisfaction");
            }
            phase(doc, "dispatch", kpi.dispatch);
            phase(doc, "acknowledge", kpi.acknowledge);
            phase(doc, "enRoute", kpi.enRoute);
            phase(doc, "onScene", kpi.onScene);
            phase(doc, "resolve", kpi.resolve);
            phase(doc, "close", kpi.close);
            return new LiveWrite.KpiWrite(kpi.group, kpi.day, kpi.facts, doc.toString());
        }

        private static void phase(ObjectNode row, String name, List<Long> seconds) {
            DayKpi.PhaseStats stats = DayKpi.stats(seconds);
            row.putObject(name)
                    .put("count", stats.count())
                    .put("median", stats.medianSeconds())
                    .put("p90", stats.p90Seconds());
        }

        private static Double rate(long part, long whole) {
            return whole == 0 ? null : (double) part / whole;
        }
    }

    public static final class OfRuleStatus implements LiveWriteMapper<RuleStatus> {
        private static final long serialVersionUID = 1L;

        @Override
        public LiveWrite toWrite(RuleStatus status) {
            return new LiveWrite.RuleStatusWrite(
                    status.ruleId, status.part, status.version, status.doc);
        }
    }

    public static final class OfFeedHealth implements LiveWriteMapper<FeedHealth> {
        private static final long serialVersionUID = 1L;

        @Override
        public LiveWrite toWrite(FeedHealth health) {
            return Documents.feedHealthWrite(
                    FeedSpec.byName(health.feed).orElseThrow(),
                    health.accepted,
                    health.rejected,
                    health.duplicates,
                    instant(health.lastReceivedAt),
                    instant(health.lastRejectedAt),
                    health.lastRejectReason);
        }

        private static Instant instant(long millis) {
            return millis == 0 ? null : Instant.ofEpochMilli(millis);
        }
    }
}
