package org.cityops.livestate;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import org.cityops.livestate.ChangelogAudit.Result;
import org.cityops.livestate.ChangelogAudit.Version;
import org.junit.jupiter.api.Test;

/**
 * The fault drills trust this count to say "nothing lost, nothing doubled": each rule must bite.
 */
class ChangelogAuditTest {

    private static final String RUN = "run-1";

    private static Version v(String incident, long version, String... reports) {
        return new Version(incident, version, List.of(reports));
    }

    private static LiveView.HeldIncident held(long version) {
        return new LiveView.HeldIncident(version, RUN);
    }

    /** Two incidents, three reports, the live view at the latest versions. */
    private static final List<String> EVENTS = List.of("e1", "e2", "e3");

    private static final List<Version> CHANGELOG =
            List.of(v("I-1", 1, "e1"), v("I-2", 1, "e3"), v("I-1", 2, "e1", "e2"));

    private static final Map<String, LiveView.HeldIncident> HELD =
            Map.of("I-1", held(2), "I-2", held(1));

    @Test
    void aConsistentChangelogAndLiveViewAreClean() {
        Result result = ChangelogAudit.count(EVENTS, CHANGELOG, HELD);

        assertThat(result.clean()).as(result.toString()).isTrue();
        assertThat(result.events()).isEqualTo(3);
        assertThat(result.incidents()).isEqualTo(2);
        assertThat(result.versions()).isEqualTo(3);
        assertThat(result.compactedAway()).isZero();
    }

    @Test
    void anEventWrittenTwiceIsADuplicate() {
        Result result = ChangelogAudit.count(List.of("e1", "e2", "e3", "e2"), CHANGELOG, HELD);

        assertThat(result.duplicateEvents()).isEqualTo(1);
        assertThat(result.clean()).isFalse();
    }

    @Test
    void aVersionWrittenTwiceIsADuplicate() {
        Result result =
                ChangelogAudit.count(
                        EVENTS,
                        List.of(
                                v("I-1", 1, "e1"),
                                v("I-1", 1, "e1"),
                                v("I-2", 1, "e3"),
                                v("I-1", 2, "e1", "e2")),
                        HELD);

        assertThat(result.duplicateVersions()).isEqualTo(1);
        assertThat(result.clean()).isFalse();
    }

    @Test
    void aGapBetweenVersionsIsMissing() {
        Result result =
                ChangelogAudit.count(
                        EVENTS,
                        List.of(v("I-1", 1, "e1"), v("I-2", 1, "e3"), v("I-1", 3, "e1", "e2")),
                        Map.of("I-1", held(3), "I-2", held(1)));

        assertThat(result.missingVersions()).isEqualTo(1);
        assertThat(result.compactedAway()).isZero();
        assertThat(result.clean()).isFalse();
    }

    @Test
    void versionsBeforeTheOldestStillThereAreCompactedAwayNotMissing() {
        Result result =
                ChangelogAudit.count(
                        EVENTS,
                        List.of(v("I-2", 1, "e3"), v("I-1", 3, "e1"), v("I-1", 4, "e1", "e2")),
                        Map.of("I-1", held(4), "I-2", held(1)));

        assertThat(result.compactedAway()).isEqualTo(2);
        assertThat(result.missingVersions()).isZero();
        assertThat(result.clean()).as(result.toString()).isTrue();
    }

    @Test
    void anEventInNoIncidentsLatestVersionIsHomeless() {
        Result result = ChangelogAudit.count(List.of("e1", "e2", "e3", "e4"), CHANGELOG, HELD);

        assertThat(result.eventsInNoIncident()).isEqualTo(1);
        assertThat(result.clean()).isFalse();
    }

    @Test
    void anEventInTwoIncidentsIsCountedOnceAsDoubled() {
        Result result =
                ChangelogAudit.count(
                        EVENTS,
                        List.of(
                                v("I-1", 1, "e1"),
                                v("I-2", 1, "e3", "e1"),
                                v("I-1", 2, "e1", "e2")),
                        HELD);

        assertThat(result.eventsInTwoIncidents()).isEqualTo(1);
        assertThat(result.clean()).isFalse();
    }

    @Test
    void anEventMovedToAnotherIncidentCountsWhereItIsNow() {
        // I-1's version 2 no longer holds e1 (merged into I-2): only latest versions are homes
        Result result =
                ChangelogAudit.count(
                        EVENTS,
                        List.of(v("I-1", 1, "e1"), v("I-2", 1, "e3", "e1"), v("I-1", 2, "e2")),
                        HELD);

        assertThat(result.clean()).as(result.toString()).isTrue();
    }

    @Test
    void aLiveViewBehindOrWithoutAnIncidentIsStale() {
        assertThat(ChangelogAudit.count(EVENTS, CHANGELOG, Map.of("I-1", held(1), "I-2", held(1))))
                .satisfies(r -> assertThat(r.liveViewStale()).isEqualTo(1))
                .satisfies(r -> assertThat(r.clean()).isFalse());
        assertThat(ChangelogAudit.count(EVENTS, CHANGELOG, Map.of("I-1", held(2))).liveViewStale())
                .isEqualTo(1);
        // ahead of Kafka is stale too: the view holds a version Kafka never committed
        assertThat(
                        ChangelogAudit.count(
                                        EVENTS, CHANGELOG, Map.of("I-1", held(3), "I-2", held(1)))
                                .liveViewStale())
                .isEqualTo(1);
    }

    @Test
    void anIncidentOnlyTheLiveViewKnowsWasNeverCommitted() {
        Result result =
                ChangelogAudit.count(
                        EVENTS, CHANGELOG, Map.of("I-1", held(2), "I-2", held(1), "I-9", held(1)));

        assertThat(result.liveViewNeverCommitted()).isEqualTo(1);
        assertThat(result.clean()).isFalse();
    }
}
