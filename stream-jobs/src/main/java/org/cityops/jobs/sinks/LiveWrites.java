package org.cityops.jobs.sinks;

import java.time.Instant;
import org.cityops.jobs.feedhealth.FeedHealth;
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
