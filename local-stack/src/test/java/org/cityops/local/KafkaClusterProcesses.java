package org.cityops.local;

import java.io.File;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.common.Uuid;
import org.awaitility.Awaitility;
import org.cityops.infra.EmbeddedKafka;
import org.cityops.infra.FreePorts;
import org.cityops.infra.KafkaBrokerProcess;

/**
 * Three KRaft brokers, each a JVM of its own ({@link KafkaBrokerProcess}), replication factor 3.
 */
final class KafkaClusterProcesses implements AutoCloseable {

    private final List<EmbeddedKafka.Member> members = new ArrayList<>();
    private final List<Process> processes = new ArrayList<>();
    private final String voters;
    private final String clusterId = Uuid.randomUuid().toString();
    private final Path dir;

    private KafkaClusterProcesses(Path dir) {
        this.dir = dir;
        for (int id = 1; id <= 3; id++) {
            members.add(new EmbeddedKafka.Member(id, FreePorts.pick(), FreePorts.pick()));
        }
        voters = members.stream().map(EmbeddedKafka.Member::voter).collect(Collectors.joining(","));
    }

    static KafkaClusterProcesses start(Path dir) throws Exception {
        KafkaClusterProcesses cluster =
                new KafkaClusterProcesses(java.nio.file.Files.createDirectories(dir));
        try {
            for (int i = 0; i < 3; i++) {
                cluster.processes.add(cluster.launch(i));
            }
            try (Admin admin =
                    Admin.create(Map.of("bootstrap.servers", cluster.bootstrapServers()))) {
                Awaitility.await("three brokers in the cluster")
                        .atMost(Duration.ofMinutes(2))
                        .pollInterval(Duration.ofMillis(500))
                        .ignoreExceptions()
                        .until(
                                () ->
                                        admin.describeCluster()
                                                        .nodes()
                                                        .get(5, TimeUnit.SECONDS)
                                                        .size()
                                                == 3);
            }
            return cluster;
        } catch (Exception | Error e) {
            cluster.close(); // no broker process left behind when the start fails
            throw e;
        }
    }

    private Process launch(int index) throws Exception {
        EmbeddedKafka.Member member = members.get(index);
        List<String> command =
                List.of(
                        Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                        "-Xmx512m",
                        "-cp",
                        System.getProperty("java.class.path"),
                        KafkaBrokerProcess.class.getName(),
                        String.valueOf(member.nodeId()),
                        String.valueOf(member.brokerPort()),
                        String.valueOf(member.controllerPort()),
                        voters,
                        clusterId,
                        dir.resolve("broker-" + member.nodeId()).toString());
        File log = dir.resolve("broker-" + member.nodeId() + ".log").toFile();
        return new ProcessBuilder(command)
                .redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(log))
                .start();
    }

    String bootstrapServers() {
        return members.stream()
                .map(m -> "127.0.0.1:" + m.brokerPort())
                .collect(Collectors.joining(","));
    }

    /** SIGKILL: the broker is gone without a controlled shutdown. */
    void kill(int index) throws InterruptedException {
        Process broker = processes.get(index);
        broker.destroyForcibly();
        broker.waitFor(30, TimeUnit.SECONDS);
    }

    @Override
    public void close() throws InterruptedException {
        for (Process p : processes) {
            p.destroy();
        }
        for (Process p : processes) {
            if (!p.waitFor(30, TimeUnit.SECONDS)) {
                p.destroyForcibly();
            }
        }
    }
}
