package org.cityops.infra;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import kafka.server.KafkaConfig;
import kafka.server.KafkaRaftServer;
import org.apache.kafka.common.Uuid;
import org.apache.kafka.common.utils.Time;
import org.apache.kafka.metadata.storage.Formatter;
import org.apache.kafka.server.common.MetadataVersion;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A real single-node Kafka broker (KRaft, combined broker and controller) in this JVM. Its log
 * directory may be kept between runs: a formatted directory is reused, so topics and offsets
 * survive a restart.
 */
public final class EmbeddedKafka implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(EmbeddedKafka.class);
    private static final String CONTROLLER_LISTENER = "CONTROLLER";

    private final KafkaRaftServer server;
    private final String bootstrapServers;
    private final Path logDir;
    private boolean closed;

    private EmbeddedKafka(KafkaRaftServer server, String bootstrapServers, Path logDir) {
        this.server = server;
        this.bootstrapServers = bootstrapServers;
        this.logDir = logDir;
    }

    /** Starts a broker on a free port, keeping its data in {@code logDir}. */
    public static EmbeddedKafka start(Path logDir) {
        return start(logDir, 0);
    }

    public static EmbeddedKafka start(Path logDir, int preferredPort) {
        return start(logDir, preferredPort, Map.of());
    }

    /** A broker with some settings changed (a test that needs the retention check to run often). */
    public static EmbeddedKafka start(
            Path logDir, int preferredPort, Map<String, String> brokerOverrides) {
        Member single = new Member(1, FreePorts.preferOrPick(preferredPort), FreePorts.pick());
        return startMember(single, single.voter(), null, logDir, brokerOverrides);
    }

    /** One node of a KRaft quorum: its id, its client port and its controller port. */
    public record Member(int nodeId, int brokerPort, int controllerPort) {
        public String voter() {
            return nodeId + "@127.0.0.1:" + controllerPort;
        }
    }

    /**
     * Starts one combined broker and controller of a quorum whose voters are {@code voters} ({@code
     * id@host:port,...}); a directory formatted before is reused. Every member of one cluster
     * formats with the same {@code clusterId} (null: a new one, for a single node).
     */
    public static EmbeddedKafka startMember(
            Member member,
            String voters,
            String clusterId,
            Path logDir,
            Map<String, String> brokerOverrides) {
        try {
            Files.createDirectories(logDir);
            int brokerPort = member.brokerPort();
            int controllerPort = member.controllerPort();
            Map<String, Object> props = new HashMap<>();
            props.put("process.roles", "broker,controller");
            props.put("node.id", String.valueOf(member.nodeId()));
            props.put("controller.quorum.voters", voters);
            props.put(
                    "listeners",
                    "PLAINTEXT://127.0.0.1:"
                            + brokerPort
                            + ",CONTROLLER://127.0.0.1:"
                            + controllerPort);
            props.put("advertised.listeners", "PLAINTEXT://127.0.0.1:" + brokerPort);
            props.put("listener.security.protocol.map", "PLAINTEXT:PLAINTEXT,CONTROLLER:PLAINTEXT");
            props.put("controller.listener.names", CONTROLLER_LISTENER);
            props.put("inter.broker.listener.name", "PLAINTEXT");
            props.put("log.dirs", logDir.toAbsolutePath().toString());
            props.put("num.partitions", "2");
            props.put("offsets.topic.replication.factor", "1");
            props.put("offsets.topic.num.partitions", "4");
            props.put("transaction.state.log.replication.factor", "1");
            props.put("transaction.state.log.min.isr", "1");
            props.put("transaction.state.log.num.partitions", "4");
            props.put("group.initial.rebalance.delay.ms", "0");
            props.put("auto.create.topics.enable", "false");
            props.put("log.cleaner.dedupe.buffer.size", String.valueOf(8 * 1024 * 1024));
            props.put("log.segment.bytes", String.valueOf(64 * 1024 * 1024));
            props.putAll(brokerOverrides);
            KafkaConfig config = new KafkaConfig(props, false);

            if (!Files.exists(logDir.resolve("meta.properties"))) {
                new Formatter()
                        .setNodeId(member.nodeId())
                        .setClusterId(clusterId != null ? clusterId : Uuid.randomUuid().toString())
                        .addDirectory(logDir.toAbsolutePath().toString())
                        .setReleaseVersion(MetadataVersion.latestProduction())
                        .setControllerListenerName(CONTROLLER_LISTENER)
                        .setPrintStream(
                                new java.io.PrintStream(java.io.OutputStream.nullOutputStream()))
                        .run();
            }
            long started = System.nanoTime();
            KafkaRaftServer server = new KafkaRaftServer(config, Time.SYSTEM);
            server.startup();
            String bootstrap = "127.0.0.1:" + brokerPort;
            LOG.info(
                    "Kafka broker (KRaft) serving at {} in {} ms, data in {}",
                    bootstrap,
                    (System.nanoTime() - started) / 1_000_000,
                    logDir);
            return new EmbeddedKafka(server, bootstrap, logDir);
        } catch (Exception e) {
            throw new IllegalStateException(
                    "cannot start the embedded Kafka broker in " + logDir, e);
        }
    }

    public String bootstrapServers() {
        return bootstrapServers;
    }

    public Path logDir() {
        return logDir;
    }

    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        closed = true;
        server.shutdown();
        server.awaitShutdown();
    }

    /** Deletes a directory tree, for throwaway brokers. */
    public static void deleteQuietly(Path dir) {
        try {
            org.apache.commons.io.file.PathUtils.deleteDirectory(dir);
        } catch (IOException ignored) {
            // a leftover temp directory is harmless
        }
    }
}
