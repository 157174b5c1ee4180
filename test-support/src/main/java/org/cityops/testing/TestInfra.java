package org.cityops.testing;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.atomic.AtomicInteger;
import org.cityops.infra.EmbeddedKafka;
import org.cityops.infra.RedisServerProcess;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.testcontainers.DockerClientFactory;
import org.testcontainers.containers.GenericContainer;
import org.testcontainers.kafka.KafkaContainer;
import org.testcontainers.utility.DockerImageName;

/**
 * One real Kafka broker and one real Redis per test JVM, started on first use and stopped when the
 * JVM exits. With a Docker engine they run in Testcontainers; without one (this machine, CI) as an
 * in-process KRaft broker and a {@code redis-server} child process. {@code
 * CITYOPS_TEST_INFRA=local|docker} forces the choice. Tests keep apart by their own topic prefix
 * and Redis key prefix ({@link #uniquePrefix}).
 */
public final class TestInfra {

    private static final Logger LOG = LoggerFactory.getLogger(TestInfra.class);
    private static final AtomicInteger COUNTER = new AtomicInteger();

    private static String kafkaBootstrap;
    private static String redisUri;
    private static Boolean docker;

    private TestInfra() {}

    public static synchronized String kafkaBootstrapServers() {
        if (kafkaBootstrap == null) {
            if (useDocker()) {
                KafkaContainer kafka =
                        new KafkaContainer(DockerImageName.parse("apache/kafka:4.2.0"));
                kafka.start();
                Runtime.getRuntime().addShutdownHook(new Thread(kafka::stop));
                kafkaBootstrap = kafka.getBootstrapServers();
            } else {
                Path dir = tempDir("kafka");
                EmbeddedKafka kafka = EmbeddedKafka.start(dir);
                Runtime.getRuntime()
                        .addShutdownHook(
                                new Thread(
                                        () -> {
                                            kafka.close();
                                            EmbeddedKafka.deleteQuietly(dir);
                                        }));
                kafkaBootstrap = kafka.bootstrapServers();
            }
        }
        return kafkaBootstrap;
    }

    public static synchronized String redisUri() {
        if (redisUri == null) {
            if (useDocker()) {
                GenericContainer<?> redis =
                        new GenericContainer<>(DockerImageName.parse("redis:7.2-alpine"))
                                .withExposedPorts(6379);
                redis.start();
                Runtime.getRuntime().addShutdownHook(new Thread(redis::stop));
                redisUri = "redis://" + redis.getHost() + ":" + redis.getMappedPort(6379);
            } else {
                if (RedisServerProcess.findBinary().isEmpty()) {
                    throw new IllegalStateException(RedisServerProcess.INSTALL_HINT);
                }
                RedisServerProcess redis = RedisServerProcess.start(tempDir("redis"), 0, false);
                redisUri = redis.uri();
            }
        }
        return redisUri;
    }

    /** A prefix no other test in this JVM uses, for topic names and Redis keys. */
    public static String uniquePrefix(String name) {
        return "t"
                + ProcessHandle.current().pid()
                + "-"
                + COUNTER.incrementAndGet()
                + "-"
                + name
                + ".";
    }

    private static boolean useDocker() {
        if (docker == null) {
            String forced = System.getenv("CITYOPS_TEST_INFRA");
            if ("local".equals(forced)) {
                docker = false;
            } else if ("docker".equals(forced)) {
                docker = true;
            } else {
                docker = dockerAvailable();
            }
            LOG.info(
                    "Test infrastructure: {}",
                    docker ? "Testcontainers (Docker)" : "local processes (no Docker engine)");
        }
        return docker;
    }

    private static boolean dockerAvailable() {
        boolean socket = java.nio.file.Files.exists(java.nio.file.Path.of("/var/run/docker.sock"));
        if (!socket && System.getenv("DOCKER_HOST") == null) {
            return false; // asking Testcontainers would only log an error
        }
        try {
            return DockerClientFactory.instance().isDockerAvailable();
        } catch (Throwable e) {
            return false;
        }
    }

    private static Path tempDir(String name) {
        try {
            return Files.createTempDirectory("cityops-" + name);
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }
}
