package io.consilium.deploy;

import static io.consilium.deploy.Rendered.container;
import static io.consilium.deploy.Rendered.env;
import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Secrets stay in Secrets, existing Secrets can replace the chart's, and changes roll the pods. */
class SecretsTest {

    private static final String API_KEY = "sk-expert-key-from-values";
    private static final String WITH_EXPERTS = """
            redis: {mode: bundled}
            experts:
              - id: remote-math
                provider: openai
                base-url: http://vllm-math.models.svc:8000/v1
                model: mathstral
                apiKey: %s
            localExperts:
              - name: local-mock
                expert: {provider: mock}
            """.formatted(API_KEY);
    private static final List<String> SECRET_VALUES = List.of(Chart.ADMIN_KEY, Chart.MASTER_KEY, Chart.REDIS_PASSWORD, API_KEY);

    @Test
    void should_keep_every_secret_value_out_of_config_maps_and_manifests_other_than_the_secret() {
        // when
        Rendered chart = Chart.render(Chart.SECRETS, WITH_EXPERTS);

        // then: no ConfigMap holds a secret value
        assertThat(chart.all(ConfigMap.class)).isNotEmpty().allSatisfy(config ->
                config.getData().values().forEach(text -> assertThat(text).doesNotContain(SECRET_VALUES)));
        // and no other manifest does, in clear or base64
        for (HasMetadata resource : chart.resources()) {
            if (!(resource instanceof Secret)) {
                String manifest = resource.toString();
                SECRET_VALUES.forEach(value -> assertThat(manifest).doesNotContain(value)
                        .doesNotContain(java.util.Base64.getEncoder().encodeToString(value.getBytes())));
            }
        }
        // and the chart's Secret holds them all
        assertThat(chart.secretData(Chart.RELEASE).values()).containsExactlyInAnyOrderElementsOf(SECRET_VALUES);
        // and the expert's entry only references its key
        assertThat(chart.routerConfig().path("consilium").path("experts").get(0).path("api-key").asString())
                .isEqualTo("${EXPERT_API_KEY_REMOTE_MATH}");
    }

    @Test
    void should_pass_secrets_to_containers_only_as_secret_references() {
        // given
        Rendered chart = Chart.render(Chart.SECRETS, WITH_EXPERTS);

        // when
        List<EnvVar> variables = chart.all(Deployment.class).stream()
                .flatMap(deployment -> container(deployment).getEnv().stream()).toList();

        // then
        assertThat(variables).extracting(EnvVar::getName).contains("CONSILIUM_AUTH_ADMINKEY", "CONSILIUM_SECURITY_MASTERKEY",
                "CONSILIUM_REDIS_PASSWORD", "EXPERT_API_KEY_REMOTE_MATH");
        assertThat(variables).filteredOn(variable -> variable.getValueFrom() != null).allSatisfy(variable -> {
            assertThat(variable.getValue()).isNull();
            assertThat(variable.getValueFrom().getSecretKeyRef().getName()).isEqualTo(Chart.RELEASE);
        });
        assertThat(variables).filteredOn(variable -> variable.getValue() != null)
                .allSatisfy(variable -> assertThat(variable.getValue()).doesNotContain(SECRET_VALUES));
    }

    @Test
    void should_reference_existing_secrets_instead_of_creating_its_own() {
        // given
        Rendered chart = Chart.render("""
                redis: {mode: bundled, existingSecret: redis-auth}
                auth: {existingSecret: admin, existingSecretKey: key}
                security: {existingSecret: master}
                """);

        // when
        var router = container(chart.router());

        // then
        assertThat(chart.all(Secret.class)).isEmpty();
        assertThat(reference(router, "CONSILIUM_AUTH_ADMINKEY")).isEqualTo(Map.entry("admin", "key"));
        assertThat(reference(router, "CONSILIUM_SECURITY_MASTERKEY")).isEqualTo(Map.entry("master", "master-key"));
        assertThat(reference(router, "CONSILIUM_REDIS_PASSWORD")).isEqualTo(Map.entry("redis-auth", "redis-password"));
    }

    @Test
    void should_refuse_secrets_written_where_they_would_land_in_a_config_map() {
        assertThat(Chart.renderFailure("""
                experts: [{id: leaky, provider: openai, base-url: "http://x:1/v1", model: m, api-key: sk-clear}]
                """)).contains("api-key");
        assertThat(Chart.renderFailure("config: {consilium: {auth: {admin-key: clear}}}\n"))
                .contains("config.consilium.auth.admin-key would land in a ConfigMap");
        assertThat(Chart.renderFailure("config: {consilium: {security: {master-key: clear-clear-clear}}}\n"))
                .contains("config.consilium.security.master-key would land in a ConfigMap");
        assertThat(Chart.renderFailure("config: {consilium: {redis: {password: clear}}}\n"))
                .contains("config.consilium.redis.password would land in a ConfigMap");
    }

    @Test
    void should_roll_the_router_when_its_configuration_or_secrets_change() {
        // given
        Map<String, String> base = checksums(Chart.render(Chart.SECRETS, WITH_EXPERTS));

        // when
        Map<String, String> otherConfig = checksums(Chart.render(Chart.SECRETS, WITH_EXPERTS,
                "config: {consilium: {routing: {default-k: 2}}}\n"));
        Map<String, String> otherSecret = checksums(Chart.render(Chart.SECRETS, WITH_EXPERTS,
                "auth: {adminKey: another-admin-key}\n"));

        // then
        assertThat(otherConfig.get("checksum/config")).isNotEqualTo(base.get("checksum/config"));
        assertThat(otherConfig.get("checksum/secret")).isEqualTo(base.get("checksum/secret"));
        assertThat(otherSecret.get("checksum/config")).isEqualTo(base.get("checksum/config"));
        assertThat(otherSecret.get("checksum/secret")).isNotEqualTo(base.get("checksum/secret"));
        // and rendering twice gives the same checksums: nothing random rolls the pods
        assertThat(checksums(Chart.render(WITH_EXPERTS, Chart.SECRETS))).isEqualTo(base);
    }

    private static Map<String, String> checksums(Rendered chart) {
        return chart.router().getSpec().getTemplate().getMetadata().getAnnotations();
    }

    private static Map.Entry<String, String> reference(io.fabric8.kubernetes.api.model.Container container, String name) {
        var ref = env(container, name).orElseThrow().getValueFrom().getSecretKeyRef();
        return Map.entry(ref.getName(), ref.getKey());
    }
}
