package org.cityops.jobs;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.apache.flink.api.common.JobStatus;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.runtime.minicluster.MiniCluster;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.cityops.livestate.LiveViews;
import org.cityops.schemas.topics.TopicSetup;
import org.cityops.schemas.topics.Topics;
import org.cityops.testing.FlinkJobFailures;
import org.cityops.testing.TestInfra;

/**
 * The ingest job on the test class's MiniCluster, against the shared Kafka broker and Redis, with
 * topics and keys of its own; checkpoints every 500 ms and no restarts, so a failure fails fast.
 */
final class JobUnderTest implements AutoCloseable {

    final String prefix;
    final Topics topics;
    final String kafka;
    final JobConfig config;
    final JobClient job;
    private final Map<String, String> params;

    private JobUnderTest(
            String prefix, Topics topics, String kafka, Map<String, String> params, JobClient job) {
        this.prefix = prefix;
        this.topics = topics;
        this.kafka = kafka;
        this.params = Map.copyOf(params);
        this.config = JobConfig.fromMap(params);
        this.job = job;
    }

    /**
     * A changed build of this job on the same topics and keys: its parameters with {@code changes},
     * plus whatever {@code addition} puts on the environment (new operators), submitted from {@code
     * savepoint}. Flink refuses to start it if any state in the savepoint has no operator (stable
     * uids).
     */
    JobUnderTest upgrade(
            String savepoint,
            Map<String, String> changes,
            java.util.function.Consumer<StreamExecutionEnvironment> addition)
            throws Exception {
        Map<String, String> next = new HashMap<>(params);
        next.putAll(changes);
        next.put("resume", savepoint);
        JobConfig changed = JobConfig.fromMap(next);
        StreamExecutionEnvironment env =
                StreamExecutionEnvironment.getExecutionEnvironment(changed.flinkConfiguration());
        KafkaWiring.ingestJob(changed).assemble(env);
        addition.accept(env);
        return new JobUnderTest(
                prefix, topics, kafka, next, env.executeAsync(CityOpsJobMain.JOB_NAME));
    }

    static JobUnderTest start(String name, Map<String, String> overrides) throws Exception {
        String prefix = TestInfra.uniquePrefix(name);
        Topics topics = Topics.withPrefix(prefix);
        String kafka = TestInfra.kafkaBootstrapServers();
        TopicSetup.ensure(kafka, topics, 2, (short) 1);
        Map<String, String> params =
                new HashMap<>(
                        Map.of(
                                "kafka",
                                kafka,
                                "live-view",
                                LiveViews.redisTarget(TestInfra.redisUri(), prefix),
                                "topic-prefix",
                                prefix,
                                "group-id",
                                prefix + "ingest",
                                "transactional-id-prefix",
                                prefix + "ingest",
                                "checkpoint-interval-ms",
                                "500",
                                "restart-attempts",
                                "0",
                                "parallelism",
                                "2"));
        params.putAll(overrides);
        JobConfig config = JobConfig.fromMap(params);
        JobClient job =
                CityOpsJobMain.start(
                        config,
                        StreamExecutionEnvironment.getExecutionEnvironment(
                                config.flinkConfiguration()));
        return new JobUnderTest(prefix, topics, kafka, params, job);
    }

    /**
     * Fails, naming why the job ended, once it has: called inside an await so that a dead job fails
     * the test at once with its failures ({@link FlinkJobFailures}), not at the await's timeout
     * with none.
     */
    void assertStillRunning(MiniCluster flink) throws Exception {
        JobStatus status = job.getJobStatus().get(30, TimeUnit.SECONDS);
        if (!status.isGloballyTerminalState()) {
            return;
        }
        Throwable failure = null;
        try {
            job.getJobExecutionResult().get(30, TimeUnit.SECONDS);
        } catch (ExecutionException e) {
            failure = e.getCause();
        }
        throw FlinkJobFailures.ended(status.toString(), failures(flink), failure);
    }

    /** The job's failures so far, oldest first ({@link FlinkJobFailures}). */
    List<String> failures(MiniCluster flink) throws Exception {
        return FlinkJobFailures.read(
                flink.getRestAddress().get(10, TimeUnit.SECONDS), job.getJobID().toString());
    }

    @Override
    public void close() throws Exception {
        // a job that already ended cannot be cancelled; the test's own error says why it ended
        if (!job.getJobStatus().get(30, TimeUnit.SECONDS).isGloballyTerminalState()) {
            job.cancel().get();
        }
    }
}
