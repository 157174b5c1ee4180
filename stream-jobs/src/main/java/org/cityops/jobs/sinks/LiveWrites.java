package org.cityops.jobs.sinks;

import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.cityops.jobs.feedhealth.FeedHealth;
import org.cityops.jobs.kpi.DayKpi;
import org.cityops.jobs.rules.RuleStatus;
import org.cityops.livestate.Documents;
import org.cityops.livestate.KpiRows;
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

    public static final class OfWarning
            implements LiveWriteMapper<org.cityops.schemas.city.PublicWarning> {
        private static final long serialVersionUID = 1L;

        @Override
        public LiveWrite toWrite(org.cityops.schemas.city.PublicWarning warning) {
            return Documents.warningWrite(warning);
        }
    }

    public static final class OfAlert implements LiveWriteMapper<Alert> {
        private static final long serialVersionUID = 1L;

        @Override
        public LiveWrite toWrite(Alert alert) {
            return Documents.alertWrite(alert);
        }
    }

    public static final class OfAudit
            implements LiveWriteMapper<org.cityops.schemas.city.AuditRecord> {
        private static final long serialVersionUID = 1L;

        @Override
        public LiveWrite toWrite(org.cityops.schemas.city.AuditRecord record) {
            return Documents.auditWrite(record);
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
    /** One group's day (or live hour) of KPIs, stored with its durations whole (KpiRows). */
    public static final class OfDayKpi implements LiveWriteMapper<DayKpi> {
        private static final long serialVersionUID = 1L;

        @Override
        public LiveWrite toWrite(DayKpi kpi) {
            Map<String, Long> counters = new LinkedHashMap<>();
            counters.put("opened", kpi.opened);
            counters.put("closed", kpi.closed);
            counters.put("closedOnTime", kpi.closedOnTime);
            counters.put("breaches", kpi.breaches);
            counters.put("reopened", kpi.reopened);
            counters.put("satisfactionCount", kpi.satisfactionCount);
            counters.put("satisfactionSum", kpi.satisfactionSum);
            Map<String, List<Long>> seconds = new LinkedHashMap<>();
            seconds.put("dispatch", kpi.dispatch);
            seconds.put("acknowledge", kpi.acknowledge);
            seconds.put("enRoute", kpi.enRoute);
            seconds.put("onScene", kpi.onScene);
            seconds.put("resolve", kpi.resolve);
            seconds.put("close", kpi.close);
            return new LiveWrite.KpiWrite(
                    kpi.group,
                    kpi.day,
                    kpi.facts,
                    KpiRows.row(kpi.group, kpi.day, kpi.day, counters, seconds).toString());
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
                    health.feed,
                    FeedSpec.byName(health.feed)
                            .map(spec -> spec.department().name())
                            .orElse(null), // cap.alerts: the city's, no department's
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
