package io.consilium.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** What {@code helm install} prints: how to reach the router and where the admin key is. */
class NotesTest {

    @Test
    void should_point_at_the_log_for_a_generated_admin_key_and_warn_about_the_memory_store() {
        // when
        String notes = Chart.notes();

        // then
        assertThat(notes)
                .contains("kubectl port-forward --namespace " + Chart.NAMESPACE + " svc/" + Chart.RELEASE + " 8080:8080")
                .contains("app.kubernetes.io/instance=" + Chart.RELEASE + ",app.kubernetes.io/component=router")
                // the line the service logs with the key it generated (AdminKey)
                .contains("grep -A 3 'Generated admin key'")
                .contains("redis.mode is none")
                .contains("built-in mock experts");
    }

    @Test
    void should_read_a_configured_admin_key_from_its_secret() {
        assertThat(Chart.notes(Chart.SECRETS, Chart.example("bundled-redis.yaml")))
                .contains("kubectl get secret --namespace " + Chart.NAMESPACE + " " + Chart.RELEASE
                        + " -o jsonpath='{.data.admin-key}' | base64 -d")
                .doesNotContain("Generated admin key")
                .doesNotContain("redis.mode is none")
                .doesNotContain(Chart.ADMIN_KEY);
        assertThat(Chart.notes(Chart.example("external-redis.yaml"), "security: {masterKey: " + Chart.MASTER_KEY + "}\n"))
                .contains("kubectl get secret --namespace " + Chart.NAMESPACE + " consilium-admin -o jsonpath='{.data.admin-key}'");
    }

    @Test
    void should_give_the_ingress_address_and_the_local_experts() {
        assertThat(Chart.notes(Chart.example("ingress.yaml")))
                .contains("export CONSILIUM_URL=https://consilium.example.com");
        assertThat(Chart.notes(Chart.example("local-experts.yaml")))
                .contains("Local expert \"qwen-math\": served by " + Chart.RELEASE + "-expert-qwen-math")
                .doesNotContain("built-in mock experts");
    }
}
