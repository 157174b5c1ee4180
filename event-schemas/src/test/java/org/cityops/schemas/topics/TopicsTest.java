package org.cityops.schemas.topics;

import static org.assertj.core.api.Assertions.assertThat;

import org.cityops.schemas.contract.FeedSpec;
import org.junit.jupiter.api.Test;

class TopicsTest {

    @Test
    void feedTopicsCarryTheContractsFeedNamesAndEveryNameIsUnique() {
        Topics topics = Topics.standard();
        assertThat(topics.feed(FeedSpec.POLICE_CALLS).name()).isEqualTo("police.calls");
        assertThat(topics.all())
                .extracting(Topic::name)
                .doesNotHaveDuplicates()
                .contains(
                        "police.calls",
                        "fire.alarms",
                        "medical.calls",
                        "traffic.incidents",
                        "traffic.readings",
                        "city.events",
                        "city.incidents",
                        "city.deadletter");
        assertThat(topics.isCompacted(topics.incidents())).isTrue();
        assertThat(topics.isCompacted(topics.events())).isFalse();
    }

    @Test
    void everyTopicIsStampedByTheBrokerAndTheAuditLogIsKept() {
        Topics topics = Topics.withPrefix("p.");
        assertThat(topics.all())
                .allSatisfy(
                        t ->
                                assertThat(topics.configOf(t))
                                        .containsEntry("message.timestamp.type", "LogAppendTime"));
        assertThat(topics.configOf(topics.incidents())).containsEntry("cleanup.policy", "compact");
        assertThat(topics.configOf(topics.incidents()))
                .containsEntry("min.compaction.lag.ms", "86400000");
        assertThat(topics.configOf(topics.rules())).containsEntry("min.compaction.lag.ms", "60000");
        assertThat(topics.configOf(topics.events())).doesNotContainKey("cleanup.policy");
        assertThat(topics.configOf(topics.audit())).containsEntry("retention.ms", "-1");
        assertThat(topics.configOf(topics.events())).doesNotContainKey("retention.ms");
    }

    @Test
    void aPrefixKeepsInstallationsAndTestsApart() {
        assertThat(Topics.withPrefix("t1.").all())
                .extracting(Topic::name)
                .allMatch(n -> n.startsWith("t1."));
        assertThat(Topics.withPrefix("t1.").incidents().name()).isEqualTo("t1.city.incidents");
    }
}
