package io.consilium.deploy;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.marcnuri.helm.Helm;
import com.marcnuri.helm.LintResult;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.KubernetesResource;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import tools.jackson.dataformat.yaml.YAMLMapper;

/**
 * The chart in {@code helm/consilium}, rendered by Helm itself: helm-java embeds Helm as a native
 * library, so neither a helm binary nor a cluster is needed. Each distinct value set is rendered once
 * and shared by every test that asks for it.
 */
final class Chart {

    static final Path DIR = Path.of(System.getProperty("consilium.chart.dir", "../helm/consilium")).toAbsolutePath().normalize();
    static final String RELEASE = "consilium";
    static final String NAMESPACE = "ai";
    /** Helm's embedded default is older than the chart's kubeVersion; a real install reports the cluster's. */
    static final String KUBE_VERSION = "v1.31.0";

    /** Secrets that value sets with a Redis need; tests look for exactly these strings. */
    static final String ADMIN_KEY = "csa-admin-key-from-values";
    static final String MASTER_KEY = "master-key-from-values-0123456789";
    static final String REDIS_PASSWORD = "redis-password-from-values";
    static final String SECRETS = """
            auth:
              adminKey: %s
            security:
              masterKey: %s
            redis:
              password: %s
            """.formatted(ADMIN_KEY, MASTER_KEY, REDIS_PASSWORD);

    private static final YAMLMapper YAML = YAMLMapper.builder().build();
    private static final Map<List<String>, Rendered> RENDERED = new ConcurrentHashMap<>();

    private Chart() {}

    /** An example value file shipped with the chart (helm/consilium/examples), as YAML text. */
    static String example(String name) {
        return read(DIR.resolve("examples").resolve(name));
    }

    /** Renders the chart with the given values documents, later ones overriding earlier ones (helm -f a -f b). */
    static Rendered render(String... values) {
        return RENDERED.computeIfAbsent(List.of(values), key -> parse(template(key)));
    }

    /** Renders the chart expecting Helm to refuse the values; returns Helm's message. */
    static String renderFailure(String... values) {
        String[] message = new String[1];
        assertThatThrownBy(() -> template(List.of(values)))
                .isInstanceOf(IllegalStateException.class)
                .satisfies(e -> message[0] = e.getMessage());
        return message[0];
    }

    /** The NOTES.txt Helm prints after an install, from a client-side dry run. */
    static String notes(String... values) {
        var command = new Helm(DIR).install()
                .withName(RELEASE)
                .withNamespace(NAMESPACE)
                .withKubeVersion(KUBE_VERSION)
                .clientOnly()
                .dryRun();
        for (Path file : valueFiles(List.of(values))) {
            command.withValuesFile(file);
        }
        String output = command.call().getOutput();
        return output.substring(output.indexOf("NOTES:"));
    }

    /** {@code helm lint --strict} of a chart directory. */
    static LintResult lint(Path chartDir) {
        return new Helm(chartDir).lint().strict().call();
    }

    private static String template(List<String> values) {
        var command = new Helm(DIR).template()
                .withName(RELEASE)
                .withNamespace(NAMESPACE)
                .withKubeVersion(KUBE_VERSION);
        for (Path file : valueFiles(values)) {
            command.withValuesFile(file);
        }
        return command.call();
    }

    private static List<Path> valueFiles(List<String> values) {
        try {
            Path dir = Files.createTempDirectory("consilium-values");
            List<Path> files = new ArrayList<>();
            for (int i = 0; i < values.size(); i++) {
                files.add(Files.writeString(dir.resolve("values-" + i + ".yaml"), values.get(i)));
            }
            return files;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static Rendered parse(String manifests) {
        List<HasMetadata> resources = new ArrayList<>();
        for (String document : manifests.split("(?m)^---\\s*$")) {
            boolean empty = document.lines().map(String::strip).allMatch(line -> line.isEmpty() || line.startsWith("#"));
            if (!empty) {
                // fabric8 picks the model class from apiVersion and kind; unknown kinds (ServiceMonitor)
                // come back as GenericKubernetesResource.
                resources.add((HasMetadata) YAML.readValue(document, KubernetesResource.class));
            }
        }
        return new Rendered(List.copyOf(resources));
    }

    static String read(Path file) {
        try {
            return Files.readString(file);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
