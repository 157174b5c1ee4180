package org.cityops.testing;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

class FlinkJobFailuresTest {

    /** The shape Flink 2.2's REST API answers, newest first (abridged traces). */
    private static final String HISTORY =
            """
            {"exceptionHistory":{"entries":[
              {"exceptionName":"org.apache.flink.runtime.JobException",
               "stacktrace":"org.apache.flink.runtime.JobException: Recovery is suppressed by ExponentialDelayRestartBackoffTimeStrategy\\n\\tat a.b(C.java:1)\\nCaused by: java.lang.IllegalStateException: Failed to commit KafkaCommittable{producerId=7}\\n\\tat d.e(F.java:2)\\nCaused by: org.apache.kafka.common.errors.InvalidTxnStateException: The producer attempted a transactional operation in an invalid state.\\n\\tat g.h(I.java:3)\\n",
               "timestamp":1795800002000,"taskName":null,"concurrentExceptions":[]},
              {"exceptionName":"org.apache.flink.util.FlinkExpectedException",
               "stacktrace":"org.apache.flink.util.FlinkExpectedException: The TaskExecutor is shutting down.\\n\\tat a.b(C.java:1)\\n",
               "timestamp":1795800001000,
               "taskName":"incidents -> (city.incidents: Writer -> city.incidents: Committer, live view: incidents: Writer) (2/2) - execution #0",
               "concurrentExceptions":[]}
            ],"truncated":false}}
            """;

    @Test
    void listsEveryFailureOldestFirstWithItsTaskAndRootCause() throws Exception {
        assertThat(FlinkJobFailures.parse(HISTORY))
                .containsExactly(
                        "2026-11-27T17:20:01Z incidents -> … (2/2) - execution #0:"
                                + " org.apache.flink.util.FlinkExpectedException: The TaskExecutor is"
                                + " shutting down.",
                        "2026-11-27T17:20:02Z (job): org.apache.kafka.common.errors"
                                + ".InvalidTxnStateException: The producer attempted a transactional"
                                + " operation in an invalid state.");
    }

    @Test
    void aJobWithoutFailuresHasNone() throws Exception {
        assertThat(FlinkJobFailures.parse("{\"exceptionHistory\":{\"entries\":[]}}")).isEmpty();
    }

    @Test
    void theAssertionsFirstLineNamesTheLastFailure() {
        AssertionError error =
                FlinkJobFailures.ended(
                        "FAILED", List.of("t1 (job): first", "t2 (job): the last one"), null);
        assertThat(error.getMessage().lines().findFirst().orElseThrow())
                .isEqualTo(
                        "the job ended FAILED after 2 failures, the last: t2 (job): the last one");
        assertThat(error.getMessage()).contains("t1 (job): first");
    }
}
