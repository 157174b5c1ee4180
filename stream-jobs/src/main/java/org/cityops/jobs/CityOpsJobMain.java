package org.cityops.jobs;

import org.apache.flink.core.execution.JobClient;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;

/**
 * Entry point of the job jar: {@code flink run stream-jobs-*-job.jar --kafka ... --live-view ...}.
 * The local stack calls {@link #start} on a MiniCluster with the same parameters.
 */
public final class CityOpsJobMain {

    public static final String JOB_NAME = "CityOps ingest";

    private CityOpsJobMain() {}

    public static void main(String[] args) throws Exception {
        JobConfig config = JobConfig.parse(args);
        StreamExecutionEnvironment env =
                StreamExecutionEnvironment.getExecutionEnvironment(config.flinkConfiguration());
        KafkaWiring.ingestJob(config).assemble(env);
        env.execute(JOB_NAME);
    }

    /** Assembles the job on the given environment and submits it without waiting for its end. */
    public static JobClient start(JobConfig config, StreamExecutionEnvironment env)
            throws Exception {
        KafkaWiring.ingestJob(config).assemble(env);
        return env.executeAsync(JOB_NAME);
    }
}
