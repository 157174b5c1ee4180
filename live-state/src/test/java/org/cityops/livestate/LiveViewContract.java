package org.cityops.livestate;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Behaviour both live views must share; each implementation's test runs it. */
abstract class LiveViewContract {

    LiveView view;

    abstract LiveView newView();

    @BeforeEach
    void open() {
        view = newView();
    }

    @AfterEach
    void closeView() {
        view.close();
    }

    static LiveWrite.IncidentWrite incident(
            String id,
            long version,
            String status,
            List<String> depts,
            String district,
            long time) {
        return new LiveWrite.IncidentWrite(
                id,
                version,
                status,
                depts,
                district,
                time,
                "{\"incidentId\":\""
                        + id
                        + "\",\"version\":"
                        + version
                        + ",\"status\":\""
                        + status
                        + "\"}");
    }

    @Test
    void aWriteIsAppliedOnlyWhenItsVersionIsNewer() {
        view.apply(List.of(incident("I-1", 2, "DISCOVERED", List.of("police"), "Mission", 1000)));
        String tip = view.deltaTip();

        view.apply(List.of(incident("I-1", 1, "CANCELLED", List.of("police"), "Mission", 1000)));
        view.apply(List.of(incident("I-1", 2, "CANCELLED", List.of("police"), "Mission", 1000)));

        assertThat(view.incident("I-1")).get().asString().contains("\"version\":2", "DISCOVERED");
        assertThat(view.deltaTip()).as("ignored writes add no delta").isEqualTo(tip);
    }

    @Test
    void aLaterRunOfTheJobSupersedesWhatAnEarlierRunWroteButACommittedCopyOnlyByVersion() {
        view.apply(
                List.of(incident("I-1", 11, "DISPATCHED", List.of("police"), "Mission", 1000)),
                "run 1");
        String seen = view.deltaTip();
        // run 2 restarted from a checkpoint where I-1 was at version 1: its version 2 wins
        view.apply(
                List.of(incident("I-1", 2, "DISCOVERED", List.of("police"), "Mission", 1000)),
                "run 2");
        assertThat(view.incidentVersions())
                .containsEntry("I-1", new LiveView.HeldIncident(2, "run 2"));
        assertThat(view.deltasAfter(seen, 10, 0).deltas())
                .as("screens holding version 11 must replace it, not ignore an older version")
                .extracting(Delta::kind, Delta::version)
                .containsExactly(org.assertj.core.groups.Tuple.tuple(Delta.CORRECTION, 2L));
        // within a run, and for copies of what Kafka committed, only newer versions apply
        view.apply(
                List.of(incident("I-1", 1, "DISCOVERED", List.of("police"), "Mission", 1000)),
                "run 2");
        view.apply(List.of(incident("I-1", 2, "CANCELLED", List.of("police"), "Mission", 1000)));
        assertThat(view.incidentVersions())
                .containsEntry("I-1", new LiveView.HeldIncident(2, "run 2"));
        assertThat(view.incident("I-1")).get().asString().contains("DISCOVERED");
    }

    @Test
    void aCorrectionPutsAnIncidentBackOrWithdrawsItOnlyIfWhatIsHeldIsUnchanged() {
        view.apply(
                List.of(
                        incident("I-1", 5, "DISPATCHED", List.of("police"), "Mission", 1000),
                        incident("I-2", 3, "DISCOVERED", List.of("fire"), "Marina", 2000)),
                "run 1");
        String seen = view.deltaTip();

        // a newer write won since the compare, or another run wrote it: nothing happens
        assertThat(view.correctIncident("I-1", new LiveView.HeldIncident(4, "run 1"), null))
                .isFalse();
        assertThat(view.correctIncident("I-1", new LiveView.HeldIncident(5, "run 2"), null))
                .isFalse();
        // back to the committed version 2, lower than the one held
        assertThat(
                        view.correctIncident(
                                "I-1",
                                new LiveView.HeldIncident(5, "run 1"),
                                incident("I-1", 2, "DISCOVERED", List.of("fire"), "Marina", 1000)))
                .isTrue();
        assertThat(view.correctIncident("I-2", new LiveView.HeldIncident(3, "run 1"), null))
                .as("never committed")
                .isTrue();

        assertThat(view.incidentVersions())
                .containsExactly(
                        java.util.Map.entry(
                                "I-1", new LiveView.HeldIncident(2, LiveView.COMMITTED)));
        assertThat(view.incident("I-2")).isEmpty();
        assertThat(view.incidents(new IncidentQuery(null, "police", null, null, 0, 10)).total())
                .as("the department index follows the committed version")
                .isZero();
        assertThat(view.incidents(new IncidentQuery(null, "fire", null, null, 0, 10)).documents())
                .hasSize(1)
                .allSatisfy(doc -> assertThat(doc).contains("\"version\":2"));
        assertThat(view.incidents(new IncidentQuery(null, null, null, null, 0, 10)).total())
                .isEqualTo(1);
        assertThat(view.deltasAfter(seen, 10, 0).deltas())
                .extracting(Delta::kind, Delta::incidentId, Delta::version)
                .containsExactly(
                        org.assertj.core.groups.Tuple.tuple(Delta.CORRECTION, "I-1", 2L),
                        org.assertj.core.groups.Tuple.tuple(Delta.WITHDRAWN, "I-2", 3L));
        // after the correction the next version applies as usual
        view.apply(
                List.of(incident("I-1", 3, "DISPATCHED", List.of("fire"), "Marina", 1000)),
                "run 2");
        assertThat(view.incidentVersions())
                .containsEntry("I-1", new LiveView.HeldIncident(3, "run 2"));
    }

    @Test
    void filtersFollowTheLatestStatusDepartmentsAndDistrict() {
        view.apply(
                List.of(
                        incident("I-1", 1, "DISCOVERED", List.of("police"), "Mission", 1000),
                        incident(
                                "I-2",
                                1,
                                "DISCOVERED",
                                List.of("fire", "medical"),
                                "Tenderloin",
                                2000),
                        incident("I-3", 1, "DISCOVERED", List.of("medical"), "Mission", 3000)));
        view.apply(
                List.of(
                        incident(
                                "I-1",
                                2,
                                "CANCELLED",
                                List.of("police", "traffic"),
                                "Bayview Hunters Point",
                                1000)));

        assertThat(ids(view.incidents(new IncidentQuery("DISCOVERED", null, null, null, 0, 10))))
                .containsExactly("I-3", "I-2");
        assertThat(ids(view.incidents(new IncidentQuery("CANCELLED", null, null, null, 0, 10))))
                .containsExactly("I-1");
        assertThat(ids(view.incidents(new IncidentQuery(null, null, "Mission", null, 0, 10))))
                .containsExactly("I-3");
        assertThat(ids(view.incidents(new IncidentQuery(null, null, null, "medical", 0, 10))))
                .containsExactly("I-3", "I-2");
        assertThat(ids(view.incidents(new IncidentQuery(null, "traffic", null, "police", 0, 10))))
                .containsExactly("I-1");
        assertThat(ids(view.incidents(new IncidentQuery(null, "police", null, "fire", 0, 10))))
                .isEmpty();
    }

    @Test
    void pagesAreNewestFirstWithTheTotal() {
        for (int i = 1; i <= 7; i++) {
            view.apply(
                    List.of(
                            incident(
                                    "I-" + i,
                                    1,
                                    "DISCOVERED",
                                    List.of("police"),
                                    "Mission",
                                    i * 1000L)));
        }
        IncidentPage second = view.incidents(new IncidentQuery(null, null, null, null, 3, 3));
        assertThat(second.total()).isEqualTo(7);
        assertThat(ids(second)).containsExactly("I-4", "I-3", "I-2");
        IncidentPage filtered =
                view.incidents(new IncidentQuery("DISCOVERED", null, null, null, 6, 3));
        assertThat(filtered.total()).isEqualTo(7);
        assertThat(ids(filtered)).containsExactly("I-1");
    }

    @Test
    void aReaderResumesFromItsLastDeltaWithoutGapsOrRepeats() {
        view.apply(List.of(incident("I-1", 1, "DISCOVERED", List.of("police"), "Mission", 1000)));
        String seen = view.deltaTip();
        view.apply(
                List.of(
                        incident("I-2", 1, "DISCOVERED", List.of("fire"), "Mission", 2000),
                        incident("I-1", 2, "CANCELLED", List.of("police"), "Mission", 1000)));

        DeltaBatch batch = view.deltasAfter(seen, 100, 0);

        assertThat(batch.gap()).isFalse();
        assertThat(batch.deltas())
                .extracting(Delta::incidentId, Delta::version)
                .containsExactly(
                        org.assertj.core.groups.Tuple.tuple("I-2", 1L),
                        org.assertj.core.groups.Tuple.tuple("I-1", 2L));
        assertThat(view.deltasAfter(view.deltaTip(), 100, 0).deltas()).isEmpty();
    }

    @Test
    void aReaderTooFarBehindIsToldItHasAGap() {
        view.apply(List.of(incident("I-0", 1, "DISCOVERED", List.of("police"), "Mission", 1)));
        String old = view.deltaTip();
        List<LiveWrite> many = new ArrayList<>();
        for (int i = 1; i <= RedisLiveView.DELTA_STREAM_MAX + 500; i++) {
            many.add(incident("I-" + i, 1, "DISCOVERED", List.of("police"), "Mission", i));
            if (many.size() == 1000) {
                view.apply(many);
                many.clear();
            }
        }
        view.apply(many);

        assertThat(view.deltasAfter(old, 10, 0).gap()).isTrue();
        assertThat(view.deltasAfter(view.deltaTip(), 10, 0).gap()).isFalse();
    }

    @Test
    void deadLettersAreBoundedNewestFirstAndRepeatsIgnored() {
        for (int i = 0; i < RedisLiveView.DEAD_LETTERS_KEPT + 20; i++) {
            view.apply(
                    List.of(
                            new LiveWrite.DeadLetterWrite(
                                    "police.calls", "dl-" + i, i, "{\"n\":" + i + "}")));
        }
        view.apply(
                List.of(
                        new LiveWrite.DeadLetterWrite(
                                "police.calls", "dl-219", 219, "{\"n\":\"again\"}")));

        List<String> recent = view.deadLetters("police.calls", 1000);
        assertThat(recent).hasSize(RedisLiveView.DEAD_LETTERS_KEPT);
        assertThat(recent.get(0)).isEqualTo("{\"n\":219}");
        assertThat(view.deadLetters("police.calls", 2))
                .containsExactly("{\"n\":219}", "{\"n\":218}");
        assertThat(view.deadLetters("fire.alarms", 10)).isEmpty();
    }

    @Test
    void alertsAreKeptOnceNewestFirstAndOnlyRealOnesReachTheDeltaStream() {
        String tip = view.deltaTip();
        view.apply(
                List.of(
                        new LiveWrite.AlertWrite(
                                "A1", 1000, false, "{\"alertId\":\"A1\",\"dryRun\":false}"),
                        new LiveWrite.AlertWrite(
                                "A2", 2000, true, "{\"alertId\":\"A2\",\"dryRun\":true}"),
                        new LiveWrite.AlertWrite(
                                "A1",
                                1000,
                                false,
                                "{\"alertId\":\"A1\",\"dryRun\":false,\"again\":1}")));

        assertThat(view.alerts(10, false)).containsExactly("{\"alertId\":\"A1\",\"dryRun\":false}");
        assertThat(view.alerts(10, true)).hasSize(2).first().asString().contains("A2");
        DeltaBatch deltas = view.deltasAfter(tip, 10, 0);
        assertThat(deltas.deltas())
                .extracting(Delta::kind, Delta::incidentId)
                .containsExactly(org.assertj.core.groups.Tuple.tuple(Delta.ALERT, "A1"));
    }

    @Test
    void escalationsAreKeptOnceNewestFirstAndReachTheDeltaStream() {
        String tip = view.deltaTip();
        view.apply(
                List.of(
                        new LiveWrite.EscalationWrite("E1", 1000, "{\"escalationId\":\"E1\"}"),
                        new LiveWrite.EscalationWrite("E2", 2000, "{\"escalationId\":\"E2\"}"),
                        new LiveWrite.EscalationWrite(
                                "E1", 1000, "{\"escalationId\":\"E1\",\"again\":1}")));
        assertThat(view.escalations(10))
                .containsExactly("{\"escalationId\":\"E2\"}", "{\"escalationId\":\"E1\"}");
        assertThat(view.deltasAfter(tip, 10, 0).deltas())
                .extracting(Delta::kind)
                .containsExactly(Delta.ESCALATION, Delta.ESCALATION);
    }

    @Test
    void ruleStatusMergesDefinitionAndMetricsAtTheirNewestVersions() {
        view.apply(
                List.of(
                        new LiveWrite.RuleStatusWrite(
                                "r1", "definition", 5, "{\"ruleId\":\"r1\",\"status\":\"active\"}"),
                        new LiveWrite.RuleStatusWrite(
                                "r1", "definition", 4, "{\"ruleId\":\"r1\",\"status\":\"old\"}"),
                        new LiveWrite.RuleStatusWrite("r1", "metrics", 9, "{\"firings\":3}")));

        assertThat(view.rules())
                .singleElement()
                .asString()
                .contains("\"status\":\"active\"", "\"metrics\":{\"firings\":3}");
    }

    @Test
    void kpisKeepTheNewestVersionPerGroupAndDayAndAreSelectedByGroupKindAndDays() {
        view.apply(
                List.of(
                        new LiveWrite.KpiWrite("city", "2018-12-08", 7, "{\"v\":\"city-8\"}"),
                        new LiveWrite.KpiWrite("city", "2018-12-08", 6, "{\"v\":\"stale\"}"),
                        new LiveWrite.KpiWrite("city", "2018-12-09", 1, "{\"v\":\"city-9\"}"),
                        new LiveWrite.KpiWrite(
                                "department:fire", "2018-12-08", 3, "{\"v\":\"fire-8\"}"),
                        new LiveWrite.KpiWrite(
                                "department:police", "2018-12-10", 2, "{\"v\":\"police-10\"}")));

        assertThat(view.kpis("city", "2018-12-01", "2018-12-31"))
                .containsExactly("{\"v\":\"city-8\"}", "{\"v\":\"city-9\"}");
        assertThat(view.kpis("department:", "2018-12-08", "2018-12-09"))
                .containsExactly("{\"v\":\"fire-8\"}");
        assertThat(view.kpis("district:", "2018-12-01", "2018-12-31")).isEmpty();
    }

    @Test
    void aKeyIsClaimedOnceThenAnswersWithWhatWasRememberedUntilReleased() {
        assertThat(view.claim("op-1:k1", "pending", 60)).as("first claim").isEmpty();
        assertThat(view.claim("op-1:k1", "pending", 60)).contains("pending");
        view.remember("op-1:k1", "{\"status\":202}", 60);
        assertThat(view.claim("op-1:k1", "pending", 60)).contains("{\"status\":202}");
        assertThat(view.claim("op-2:k1", "pending", 60)).as("another key").isEmpty();
        view.release("op-2:k1");
        assertThat(view.claim("op-2:k1", "pending", 60)).as("released").isEmpty();
    }

    @Test
    void aRebuildIsAnnouncedOnTheDeltaStream() {
        String seen = view.deltaTip();
        view.announceRebuild("epoch-2");
        assertThat(view.deltasAfter(seen, 10, 0).deltas())
                .extracting(Delta::kind, Delta::incidentId)
                .containsExactly(org.assertj.core.groups.Tuple.tuple(Delta.REBUILT, "epoch-2"));
    }

    @Test
    void aRememberedValueIsRecalled() {
        assertThat(view.recall("job-run")).isEmpty();
        view.remember("job-run", "run 1", 60);
        view.remember("job-run", "run 2", 60);
        assertThat(view.recall("job-run")).contains("run 2");
    }

    @Test
    void auditIsKeptOnceNewestFirstAndPerIncident() {
        view.apply(
                List.of(
                        new LiveWrite.AuditWrite("I-1/v1", "I-1", 1000, "{\"auditId\":\"I-1/v1\"}"),
                        new LiveWrite.AuditWrite("I-2/v1", "I-2", 2000, "{\"auditId\":\"I-2/v1\"}"),
                        new LiveWrite.AuditWrite("I-1/v2", "I-1", 3000, "{\"auditId\":\"I-1/v2\"}"),
                        new LiveWrite.AuditWrite(
                                "I-1/v2", "I-1", 3000, "{\"auditId\":\"I-1/v2\"}")));

        assertThat(view.audit(null, 10))
                .containsExactly(
                        "{\"auditId\":\"I-1/v2\"}",
                        "{\"auditId\":\"I-2/v1\"}",
                        "{\"auditId\":\"I-1/v1\"}");
        assertThat(view.audit("I-1", 10))
                .containsExactly("{\"auditId\":\"I-1/v2\"}", "{\"auditId\":\"I-1/v1\"}");
        assertThat(view.audit(null, 1)).hasSize(1);
    }

    @Test
    void feedHealthKeepsTheNewestVersion() {
        view.apply(
                List.of(
                        new LiveWrite.FeedHealthWrite("police.calls", 5, "{\"accepted\":5}"),
                        new LiveWrite.FeedHealthWrite("fire.alarms", 1, "{\"accepted\":1}")));
        view.apply(List.of(new LiveWrite.FeedHealthWrite("police.calls", 3, "{\"accepted\":3}")));

        assertThat(view.feedHealth()).containsExactly("{\"accepted\":1}", "{\"accepted\":5}");
    }

    private static List<String> ids(IncidentPage page) {
        return page.documents().stream()
                .map(doc -> Documents.parse(doc).get("incidentId").asText())
                .toList();
    }
}
