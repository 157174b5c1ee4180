package org.cityops.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.fasterxml.jackson.dataformat.yaml.YAMLParser;
import java.lang.reflect.Modifier;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;
import org.apache.flink.runtime.util.EnvironmentInformation;
import org.cityops.jobs.JobConfig;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The Kubernetes manifests in deploy/k8s, checked without a cluster: every document is valid YAML
 * with the fields Kubernetes requires, and everything they name exists — the main classes in this
 * build, the job's arguments (parsed by the job's own parser), the Flink version, config files in
 * the ConfigMap with ports that match the containers, Services that select a Deployment's pods and
 * target a port it opens, and the Secret the runbook tells operators to create.
 */
class DeploymentManifestsTest {

    private static final Path ROOT = Path.of(System.getProperty("cityops.root", ".."));
    private static final Path K8S = ROOT.resolve("deploy/k8s");
    private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final List<JsonNode> DOCS = new ArrayList<>();

    @BeforeAll
    static void read() throws Exception {
        try (Stream<Path> files = Files.list(K8S)) {
            for (Path file : files.filter(f -> f.toString().endsWith(".yaml")).sorted().toList()) {
                try (YAMLParser parser = new YAMLFactory().createParser(file.toFile())) {
                    YAML.readValues(parser, JsonNode.class)
                            .readAll()
                            .forEach(
                                    doc ->
                                            DOCS.add(
                                                    ((ObjectNode) doc)
                                                            .put(
                                                                    "_file",
                                                                    file.getFileName()
                                                                            .toString())));
                }
            }
        }
    }

    @Test
    void everyDocumentHasWhatKubernetesRequiresAndKustomizeListsEveryFile() throws Exception {
        assertThat(DOCS).hasSizeGreaterThanOrEqualTo(9);
        Set<String> files = new HashSet<>();
        for (JsonNode doc : DOCS) {
            assertThat(doc.path("apiVersion").asText()).as(doc.path("_file").asText()).isNotBlank();
            assertThat(doc.path("kind").asText()).isNotBlank();
            files.add(doc.path("_file").asText());
            if (!doc.path("kind").asText().equals("Kustomization")) {
                assertThat(doc.path("metadata").path("name").asText())
                        .matches("[a-z0-9]([-a-z0-9]*[a-z0-9])?");
            }
            if (!List.of("Namespace", "Kustomization").contains(doc.path("kind").asText())) {
                assertThat(doc.path("metadata").path("namespace").asText())
                        .as(doc.path("metadata").path("name").asText())
                        .isEqualTo("cityops");
            }
        }
        JsonNode kustomization = kind("Kustomization").get(0);
        List<String> listed = new ArrayList<>();
        kustomization.withArray("resources").forEach(r -> listed.add(r.asText()));
        files.remove("kustomization.yaml");
        assertThat(listed).containsExactlyInAnyOrderElementsOf(files);
    }

    @Test
    void theFlinkDeploymentRunsThisBuildsJobWithArgumentsTheJobAccepts() throws Exception {
        JsonNode flink = kind("FlinkDeployment").get(0);
        assertThat(flink.path("apiVersion").asText()).isEqualTo("flink.apache.org/v1beta1");
        String version = EnvironmentInformation.getVersion(); // e.g. 2.2.0
        assertThat(flink.path("spec").path("flinkVersion").asText())
                .isEqualTo("v" + version.replaceAll("^(\\d+)\\.(\\d+).*", "$1_$2"));
        JsonNode job = flink.path("spec").path("job");
        assertMain(job.path("entryClass").asText());
        assertThat(job.path("upgradeMode").asText())
                .as("upgrades start from a savepoint: stable operator uids keep the state")
                .isEqualTo("savepoint");
        List<String> args = new ArrayList<>();
        job.withArray("args").forEach(a -> args.add(a.asText()));
        JobConfig config = JobConfig.parse(args.toArray(String[]::new));
        assertThat(config.kafkaBootstrap().split(",")).as("three brokers").hasSize(3);
        assertThat(config.liveView()).startsWith("redis://");
        assertThat(
                        flink.path("spec")
                                .path("flinkConfiguration")
                                .path("state.checkpoints.dir")
                                .asText())
                .isNotBlank();
        assertThat(
                        flink.path("spec")
                                .path("flinkConfiguration")
                                .path("high-availability.type")
                                .asText())
                .isEqualTo("kubernetes");
    }

    @Test
    void eachServiceRunsThisBuildsMainWithItsConfigAndIsReachableThroughItsService()
            throws Exception {
        JsonNode configMap = kind("ConfigMap").get(0);
        String runbook = Files.readString(ROOT.resolve("docs/runbook.md"));
        for (JsonNode deployment : kind("Deployment")) {
            JsonNode pod = deployment.path("spec").path("template");
            assertThat(deployment.path("spec").path("selector").path("matchLabels"))
                    .as("the selector matches the pods")
                    .allSatisfy(label -> assertThat(label).isNotNull());
            deployment
                    .path("spec")
                    .path("selector")
                    .path("matchLabels")
                    .fields()
                    .forEachRemaining(
                            e ->
                                    assertThat(
                                                    pod.path("metadata")
                                                            .path("labels")
                                                            .path(e.getKey())
                                                            .asText())
                                            .isEqualTo(e.getValue().asText()));
            JsonNode container = pod.path("spec").withArray("containers").get(0);
            List<String> command = new ArrayList<>();
            container.withArray("command").forEach(c -> command.add(c.asText()));
            String main =
                    command.stream()
                            .filter(c -> c.startsWith("org.cityops."))
                            .findFirst()
                            .orElseThrow();
            assertMain(main);
            String configPath = command.get(command.indexOf("--config") + 1);
            String mount = container.withArray("volumeMounts").get(0).path("mountPath").asText();
            assertThat(configPath).startsWith(mount + "/");
            String key = configPath.substring(mount.length() + 1);
            JsonNode serviceConfig = JSON.readTree(configMap.path("data").path(key).asText());
            int port = container.withArray("ports").get(0).path("containerPort").asInt();
            assertThat(serviceConfig.path("port").asInt())
                    .as(key + " listens where the pod opens")
                    .isEqualTo(port);
            assertThat(serviceConfig.path("host").asText()).isEqualTo("0.0.0.0");
            assertThat(serviceConfig.path("liveView").asText()).startsWith("redis://");
            assertThat(serviceConfig.has("jwtSecret"))
                    .as("secrets never in the ConfigMap")
                    .isFalse();
            JsonNode secret =
                    container.withArray("env").get(0).path("valueFrom").path("secretKeyRef");
            assertThat(runbook)
                    .as("the runbook creates the Secret the pods read")
                    .contains("create secret generic " + secret.path("name").asText())
                    .contains("--from-literal=" + secret.path("key").asText() + "=");
            String portName = container.withArray("ports").get(0).path("name").asText();
            assertThat(container.path("readinessProbe").path("httpGet").path("port").asText())
                    .isEqualTo(portName);

            String app =
                    pod.path("metadata").path("labels").path("app.kubernetes.io/name").asText();
            JsonNode service =
                    kind("Service").stream()
                            .filter(
                                    s ->
                                            app.equals(
                                                    s.path("spec")
                                                            .path("selector")
                                                            .path("app.kubernetes.io/name")
                                                            .asText()))
                            .findFirst()
                            .orElseThrow(() -> new AssertionError("no Service selects " + app));
            assertThat(service.path("spec").withArray("ports").get(0).path("targetPort").asText())
                    .isEqualTo(portName);
        }
        assertThat(kind("Deployment"))
                .extracting(d -> d.path("metadata").path("name").asText())
                .containsExactlyInAnyOrder("dispatch-api", "dashboard-feed");
    }

    private static List<JsonNode> kind(String kind) {
        return DOCS.stream().filter(d -> kind.equals(d.path("kind").asText())).toList();
    }

    private static void assertMain(String className) throws Exception {
        var main = Class.forName(className).getMethod("main", String[].class);
        assertThat(Modifier.isStatic(main.getModifiers())).as(className).isTrue();
    }
}
