package org.cityops.local;

import java.io.File;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.awaitility.Awaitility;
import org.cityops.infra.FreePorts;

/**
 * A Flink session cluster as separate JVMs — a JobManager ({@code
 * StandaloneSessionClusterEntrypoint}) and TaskManagers ({@code TaskManagerRunner}) of one slot
 * each — on the classpath the {@code flink-session} module resolves from Flink's Maven artifacts,
 * configured as a real deployment is, through a {@code config.yaml}.
 */
final class FlinkSessionProcesses implements AutoCloseable {

    /** What Flink's own launch scripts open on Java 17. */
    private static final List<String> JAVA_17_OPENS =
            List.of(
                    "--add-exports=java.base/sun.net.util=ALL-UNNAMED",
                    "--add-exports=java.rmi/sun.rmi.registry=ALL-UNNAMED",
                    "--add-exports=java.security.jgss/sun.security.krb5=ALL-UNNAMED",
                    "--add-opens=java.base/java.lang=ALL-UNNAMED",
                    "--add-opens=java.base/java.net=ALL-UNNAMED",
                    "--add-opens=java.base/java.io=ALL-UNNAMED",
                    "--add-opens=java.base/java.nio=ALL-UNNAMED",
                    "--add-opens=java.base/sun.nio.ch=ALL-UNNAMED",
                    "--add-opens=java.base/java.lang.reflect=ALL-UNNAMED",
                    "--add-opens=java.base/java.text=ALL-UNNAMED",
                    "--add-opens=java.base/java.time=ALL-UNNAMED",
                    "--add-opens=java.base/java.util=ALL-UNNAMED",
                    "--add-opens=java.base/java.util.concurrent=ALL-UNNAMED",
                    "--add-opens=java.base/java.util.concurrent.atomic=ALL-UNNAMED",
                    "--add-opens=java.base/java.util.concurrent.locks=ALL-UNNAMED");

    private final Path dir;
    private final Path conf;
    private final String classpath;
    private final int restPort = FreePorts.pick();
    private final Process jobManager;
    private final List<Process> taskManagers = new ArrayList<>();

    private FlinkSessionProcesses(Path dir) throws Exception {
        this.dir = dir;
        this.conf = Files.createDirectories(dir.resolve("conf"));
        Path classpathFile = DemoDay.ROOT.resolve("flink-session/target/flink-session.classpath");
        this.classpath = Files.readString(classpathFile).trim();
        Files.writeString(
                conf.resolve("config.yaml"),
                String.join(
                        "\n",
                        "jobmanager.rpc.address: 127.0.0.1",
                        "jobmanager.rpc.port: " + FreePorts.pick(),
                        "jobmanager.bind-host: 127.0.0.1",
                        "jobmanager.memory.process.size: 1024m",
                        "taskmanager.host: 127.0.0.1",
                        "taskmanager.bind-host: 127.0.0.1",
                        "taskmanager.numberOfTaskSlots: 1",
                        // what taskmanager.sh would compute and pass (TaskManagerRunner requires
                        // it)
                        "taskmanager.cpu.cores: 1",
                        "taskmanager.memory.task.heap.size: 400m",
                        "taskmanager.memory.task.off-heap.size: 0m",
                        "taskmanager.memory.network.min: 64m",
                        "taskmanager.memory.network.max: 64m",
                        "taskmanager.memory.managed.size: 64m",
                        "taskmanager.memory.framework.heap.size: 128m",
                        "taskmanager.memory.framework.off-heap.size: 128m",
                        "taskmanager.memory.jvm-metaspace.size: 256m",
                        "taskmanager.memory.jvm-overhead.min: 192m",
                        "taskmanager.memory.jvm-overhead.max: 192m",
                        "rest.address: 127.0.0.1",
                        "rest.bind-address: 127.0.0.1",
                        "rest.port: " + restPort,
                        // a killed TaskManager is noticed within seconds, not the default 50 s
                        "heartbeat.interval: 1000",
                        "heartbeat.timeout: 8000",
                        "io.tmp.dirs: " + Files.createDirectories(dir.resolve("tmp")),
                        "env.java.opts.all: -Dorg.apache.avro.SERIALIZABLE_PACKAGES=org.cityops",
                        ""));
        Files.writeString(
                conf.resolve("log4j2.properties"),
                String.join(
                        "\n",
                        "rootLogger.level = INFO",
                        "rootLogger.appenderRef.out.ref = out",
                        "appender.out.type = Console",
                        "appender.out.name = out",
                        "appender.out.layout.type = PatternLayout",
                        "appender.out.layout.pattern = %d{HH:mm:ss.SSS} %-5level %c{1} - %msg%n",
                        "logger.kafka.name = org.apache.kafka",
                        "logger.kafka.level = WARN",
                        ""));
        jobManager =
                launch(
                        "org.apache.flink.runtime.entrypoint.StandaloneSessionClusterEntrypoint",
                        "jobmanager",
                        "-Xmx600m");
    }

    /** Starts the JobManager and {@code taskManagers} TaskManagers; returns when all registered. */
    static FlinkSessionProcesses start(Path dir, int taskManagers) throws Exception {
        FlinkSessionProcesses cluster = new FlinkSessionProcesses(dir);
        try {
            for (int i = 0; i < taskManagers; i++) {
                cluster.startTaskManager();
            }
            cluster.awaitTaskManagers(taskManagers);
            return cluster;
        } catch (Exception | Error e) {
            cluster.close(); // no JobManager left behind when the start fails
            throw e;
        }
    }

    void startTaskManager() throws Exception {
        taskManagers.add(
                launch(
                        "org.apache.flink.runtime.taskexecutor.TaskManagerRunner",
                        "taskmanager-" + taskManagers.size(),
                        "-Xmx700m"));
    }

    /** SIGKILL: the TaskManager's JVM dies with its tasks, as when a machine is lost. */
    void killTaskManager(int index) throws InterruptedException {
        Process tm = taskManagers.get(index);
        tm.destroyForcibly();
        tm.waitFor(30, TimeUnit.SECONDS);
    }

    void awaitTaskManagers(int running) {
        Awaitility.await(running + " TaskManagers registered")
                .atMost(Duration.ofSeconds(90))
                .pollInterval(Duration.ofMillis(500))
                .ignoreExceptions()
                .until(() -> rest("/overview").contains("\"taskmanagers\":" + running + ","));
    }

    /**
     * {@code flink run -d JAR ARGS}: Flink's own command-line client ({@code CliFrontend}, on the
     * cluster's classpath and configuration) submits the job jar through the REST API; returns the
     * job id it prints.
     */
    String run(Path jobJar, List<String> args) throws Exception {
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.add("-Xmx512m");
        command.addAll(JAVA_17_OPENS);
        command.add("-Dorg.apache.avro.SERIALIZABLE_PACKAGES=org.cityops");
        command.add("-Dlog4j.configurationFile=" + conf.resolve("log4j2.properties").toUri());
        command.addAll(
                List.of(
                        "-cp",
                        classpath,
                        "org.apache.flink.client.cli.CliFrontend",
                        "run",
                        "-d",
                        jobJar.toString()));
        command.addAll(args);
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true);
        builder.environment().put("FLINK_CONF_DIR", conf.toString());
        Process client = builder.start();
        String output = new String(client.getInputStream().readAllBytes());
        Files.writeString(dir.resolve("flink-run.log"), output);
        if (!client.waitFor(2, TimeUnit.MINUTES) || client.exitValue() != 0) {
            throw new IllegalStateException("flink run failed:\n" + output);
        }
        java.util.regex.Matcher id =
                java.util.regex.Pattern.compile("JobID ([0-9a-f]{32})").matcher(output);
        if (!id.find()) {
            throw new IllegalStateException("flink run printed no job id:\n" + output);
        }
        return id.group(1);
    }

    int restPort() {
        return restPort;
    }

    /** GET on the JobManager's REST API. */
    String rest(String path) throws Exception {
        return HttpClient.newHttpClient()
                .send(
                        HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + restPort + path))
                                .timeout(Duration.ofSeconds(10))
                                .build(),
                        HttpResponse.BodyHandlers.ofString())
                .body();
    }

    private Process launch(String mainClass, String name, String heap) throws Exception {
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.add(heap);
        command.addAll(JAVA_17_OPENS);
        command.add("-Dorg.apache.avro.SERIALIZABLE_PACKAGES=org.cityops");
        command.add("-Dlog4j.configurationFile=" + conf.resolve("log4j2.properties").toUri());
        command.addAll(List.of("-cp", classpath, mainClass, "--configDir", conf.toString()));
        File log = dir.resolve(name + ".log").toFile();
        return new ProcessBuilder(command)
                .redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(log))
                .start();
    }

    @Override
    public void close() throws InterruptedException {
        List<Process> all = new ArrayList<>(taskManagers);
        all.add(jobManager);
        for (Process p : all) {
            p.destroy();
        }
        for (Process p : all) {
            if (!p.waitFor(30, TimeUnit.SECONDS)) {
                p.destroyForcibly();
            }
        }
    }
}
