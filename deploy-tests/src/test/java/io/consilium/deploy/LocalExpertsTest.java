package io.consilium.deploy;

import static io.consilium.deploy.Rendered.container;
import static io.consilium.deploy.Rendered.env;
import static io.consilium.deploy.Rendered.podLabels;
import static io.consilium.deploy.Rendered.selects;
import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.Volume;
import io.fabric8.kubernetes.api.model.VolumeMount;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicy;
import java.net.URI;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.dataformat.yaml.YAMLMapper;

/** Local expert servers from examples/local-experts.yaml, with network policies on. */
class LocalExpertsTest {

    private static final String MATH = Chart.RELEASE + "-expert-qwen-math";
    private static final String WRITER = Chart.RELEASE + "-expert-phi-writer";

    private static Rendered chart;

    @BeforeAll
    static void render() {
        chart = Chart.render(Chart.example("local-experts.yaml"), "networkPolicy: {enabled: true}\n");
    }

    @Test
    void should_run_one_expert_serving_deployment_per_local_expert_with_its_model_mounted_read_only() {
        // when
        Deployment math = chart.one(Deployment.class, MATH);
        Deployment writer = chart.one(Deployment.class, WRITER);

        // then: the router image with the expert-serving profile
        for (Deployment deployment : List.of(math, writer)) {
            Container container = container(deployment);
            assertThat(container.getImage()).isEqualTo(container(chart.router()).getImage());
            assertThat(env(container, "SPRING_PROFILES_ACTIVE")).map(EnvVar::getValue).hasValue("expert-serving");
            assertThat(container.getSecurityContext().getReadOnlyRootFilesystem()).isTrue();
            assertThat(container.getSecurityContext().getRunAsNonRoot()).isTrue();
            assertThat(container.getReadinessProbe().getHttpGet().getPath()).isEqualTo("/actuator/health/readiness");
            assertThat(container.getResources().getLimits()).containsKey("memory");
        }
        // and each model where its served definition looks for it
        assertThat(modelVolume(math).getPersistentVolumeClaim().getClaimName()).isEqualTo("qwen-math-model");
        assertThat(modelVolume(writer).getImage().getReference()).isEqualTo("registry.example.com/models/phi-3.5-mini-onnx:1");
        assertThat(modelMount(math).getMountPath()).isEqualTo(served(MATH).path("model-path").asString()).isEqualTo("/models");
        assertThat(modelMount(writer).getMountPath()).isEqualTo(served(WRITER).path("model-path").asString()).isEqualTo("/models/phi");
        assertThat(modelMount(math).getReadOnly()).isTrue();
        assertThat(served(MATH).path("provider").asString()).isEqualTo("onnx");
        assertThat(served(MATH).path("system-prompt").asString()).startsWith("You are a careful mathematician");
    }

    @Test
    void should_give_each_expert_a_service_that_selects_only_its_own_pods() {
        // given
        Map<String, String> mathPods = podLabels(chart.one(Deployment.class, MATH));
        Map<String, String> writerPods = podLabels(chart.one(Deployment.class, WRITER));
        Map<String, String> routerPods = podLabels(chart.router());

        // when
        Map<String, String> mathService = chart.one(Service.class, MATH).getSpec().getSelector();
        Map<String, String> routerService = chart.one(Service.class, Chart.RELEASE).getSpec().getSelector();

        // then
        assertThat(selects(mathService, mathPods)).isTrue();
        assertThat(selects(mathService, writerPods)).isFalse();
        assertThat(selects(mathService, routerPods)).isFalse();
        assertThat(selects(routerService, mathPods)).isFalse();
        assertThat(selects(chart.one(Deployment.class, MATH).getSpec().getSelector(), mathPods)).isTrue();
    }

    @Test
    void should_add_each_local_expert_to_the_routers_experts_next_to_the_remote_ones() {
        // when
        JsonNode experts = chart.routerConfig().path("consilium").path("experts");

        // then
        assertThat(experts.valueStream().map(e -> e.path("id").asString()).toList())
                .containsExactly("qwen-coder", "qwen-math", "phi-writer");
        JsonNode math = experts.get(1);
        assertThat(math.path("provider").asString()).isEqualTo("openai");
        assertThat(math.path("model").asString()).isEqualTo("qwen-math");
        assertThat(math.path("skills").valueStream().map(JsonNode::asString).toList())
                .containsExactly("math.algebra", "math.calculus");
        // and its URL names the expert's Service and port
        URI url = URI.create(math.path("base-url").asString());
        assertThat(url.getHost()).isEqualTo(MATH + "." + Chart.NAMESPACE + ".svc");
        assertThat(chart.one(Service.class, MATH).getSpec().getPorts())
                .anySatisfy(port -> assertThat(port.getPort()).isEqualTo(url.getPort()));
        assertThat(url.getPath()).isEqualTo("/v1");
        // and the system prompt stays with the served expert
        assertThat(math.has("system-prompt")).isFalse();
    }

    @Test
    void should_let_only_router_pods_reach_the_anonymous_expert_servers() {
        // when
        NetworkPolicy policy = chart.one(NetworkPolicy.class, MATH);

        // then
        assertThat(selects(policy.getSpec().getPodSelector(), podLabels(chart.one(Deployment.class, MATH)))).isTrue();
        assertThat(policy.getSpec().getPolicyTypes()).containsExactly("Ingress");
        assertThat(policy.getSpec().getIngress()).singleElement().satisfies(rule ->
                assertThat(rule.getFrom()).singleElement().satisfies(peer -> {
                    assertThat(selects(peer.getPodSelector(), podLabels(chart.router()))).isTrue();
                    assertThat(selects(peer.getPodSelector(), podLabels(chart.one(Deployment.class, WRITER)))).isFalse();
                }));
    }

    @Test
    void should_roll_an_expert_server_when_its_definition_changes() {
        // given
        String before = checksum(chart.one(Deployment.class, MATH));

        // when
        Rendered changed = Chart.render(Chart.example("local-experts.yaml"), "networkPolicy: {enabled: true}\n",
                "localExperts: [{name: qwen-math, expert: {skills: [math.algebra]}, model: {volume: {persistentVolumeClaim: {claimName: m}}}}]\n");

        // then
        assertThat(checksum(changed.one(Deployment.class, MATH))).isNotEqualTo(before);
    }

    @Test
    void should_refuse_an_onnx_expert_without_a_model_volume() {
        assertThat(Chart.renderFailure("localExperts: [{name: bare}]\n"))
                .contains("localExperts 'bare': model.volume is required");
    }

    private static String checksum(Deployment deployment) {
        return deployment.getSpec().getTemplate().getMetadata().getAnnotations().get("checksum/config");
    }

    private static JsonNode served(String name) {
        String yaml = chart.one(ConfigMap.class, name).getData().get("experts.yaml");
        return YAMLMapper.builder().build().readTree(yaml).get(0);
    }

    private static VolumeMount modelMount(Deployment deployment) {
        return container(deployment).getVolumeMounts().stream()
                .filter(m -> m.getName().equals("model")).findFirst().orElseThrow();
    }

    private static Volume modelVolume(Deployment deployment) {
        return deployment.getSpec().getTemplate().getSpec().getVolumes().stream()
                .filter(v -> v.getName().equals("model")).findFirst().orElseThrow();
    }
}
