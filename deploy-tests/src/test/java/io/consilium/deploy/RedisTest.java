package io.consilium.deploy;

import static io.consilium.deploy.Rendered.container;
import static io.consilium.deploy.Rendered.env;
import static io.consilium.deploy.Rendered.selects;
import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.apps.StatefulSet;
import java.net.URI;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/** redis.mode: external and bundled switch the store to Redis; none keeps one in-memory replica. */
class RedisTest {

    private static final String REDIS = Chart.RELEASE + "-redis";

    @Nested
    class External {

        private final Rendered chart = Chart.render(Chart.SECRETS, Chart.example("external-redis.yaml"));

        @Test
        void should_use_the_external_redis_with_its_password_from_a_secret() {
            // when
            JsonNode consilium = chart.routerConfig().path("consilium");
            Container router = container(chart.router());

            // then
            assertThat(consilium.path("store").asString()).isEqualTo("redis");
            assertThat(consilium.path("redis").path("url").asString()).isEqualTo("redis://redis.data.svc:6379");
            assertThat(env(router, "CONSILIUM_REDIS_PASSWORD")).hasValueSatisfying(variable -> {
                assertThat(variable.getValue()).isNull();
                assertThat(variable.getValueFrom().getSecretKeyRef().getName()).isEqualTo(Chart.RELEASE);
            });
            assertThat(chart.router().getSpec().getReplicas()).isEqualTo(3);
            assertThat(chart.all(StatefulSet.class)).isEmpty();
        }
    }

    @Nested
    class Bundled {

        private final Rendered chart = Chart.render(Chart.SECRETS, Chart.example("bundled-redis.yaml"));

        @Test
        void should_run_a_redis_statefulset_on_a_persistent_volume_behind_a_headless_service() {
            // when
            StatefulSet redis = chart.one(StatefulSet.class, REDIS);
            Service service = chart.one(Service.class, REDIS);

            // then
            assertThat(redis.getSpec().getReplicas()).isEqualTo(1);
            assertThat(redis.getSpec().getServiceName()).isEqualTo(service.getMetadata().getName());
            assertThat(redis.getSpec().getVolumeClaimTemplates()).singleElement().satisfies(claim -> {
                assertThat(claim.getMetadata().getName()).isEqualTo("data");
                assertThat(claim.getSpec().getResources().getRequests().get("storage")).isEqualTo(new Quantity("2Gi"));
            });
            assertThat(container(redis).getVolumeMounts()).anySatisfy(mount -> {
                assertThat(mount.getName()).isEqualTo("data");
                assertThat(mount.getMountPath()).isEqualTo("/data");
            });
            assertThat(service.getSpec().getClusterIP()).isEqualTo("None");
            assertThat(selects(service.getSpec().getSelector(), redis.getSpec().getTemplate().getMetadata().getLabels())).isTrue();
            assertThat(selects(service.getSpec().getSelector(), Rendered.podLabels(chart.router()))).isFalse();
            assertThat(selects(redis.getSpec().getSelector(), redis.getSpec().getTemplate().getMetadata().getLabels())).isTrue();
        }

        @Test
        void should_point_the_router_at_the_bundled_redis_service() {
            // when
            JsonNode consilium = chart.routerConfig().path("consilium");
            URI url = URI.create(consilium.path("redis").path("url").asString());

            // then
            assertThat(consilium.path("store").asString()).isEqualTo("redis");
            assertThat(url.getScheme()).isEqualTo("redis");
            assertThat(url.getHost()).isEqualTo(REDIS + "." + Chart.NAMESPACE + ".svc");
            assertThat(chart.one(Service.class, REDIS).getSpec().getPorts())
                    .anySatisfy(port -> assertThat(port.getPort()).isEqualTo(url.getPort()));
            assertThat(chart.router().getSpec().getReplicas()).isEqualTo(2);
        }

        @Test
        void should_protect_redis_with_the_password_and_run_it_unprivileged() {
            // when
            StatefulSet redis = chart.one(StatefulSet.class, REDIS);
            Container container = container(redis);

            // then: the password comes from the same Secret entry as the router's
            EnvVar password = env(container, "REDIS_PASSWORD").orElseThrow();
            EnvVar routerPassword = env(container(chart.router()), "CONSILIUM_REDIS_PASSWORD").orElseThrow();
            assertThat(password.getValueFrom().getSecretKeyRef()).isEqualTo(routerPassword.getValueFrom().getSecretKeyRef());
            assertThat(container.getArgs()).containsSubsequence("--requirepass", "$(REDIS_PASSWORD)");
            assertThat(container.getSecurityContext().getRunAsNonRoot()).isTrue();
            assertThat(container.getSecurityContext().getReadOnlyRootFilesystem()).isTrue();
            assertThat(container.getSecurityContext().getAllowPrivilegeEscalation()).isFalse();
            assertThat(container.getResources().getLimits()).containsKey("memory");
            assertThat(container.getReadinessProbe()).isNotNull();
        }
    }

    @Nested
    class Refused {

        @Test
        void should_refuse_several_replicas_on_the_memory_store() {
            assertThat(Chart.renderFailure("replicaCount: 2\n"))
                    .contains("replicaCount is 2 but redis.mode is none");
        }

        @Test
        void should_refuse_autoscaling_on_the_memory_store() {
            assertThat(Chart.renderFailure("autoscaling: {enabled: true}\n"))
                    .contains("autoscaling.enabled needs a shared store");
        }

        @Test
        void should_require_a_master_key_with_redis() {
            assertThat(Chart.renderFailure("redis: {mode: bundled, password: p}\n"))
                    .contains("security.masterKey (or security.existingSecret) is required");
        }

        @Test
        void should_require_a_password_for_the_bundled_redis() {
            assertThat(Chart.renderFailure("redis: {mode: bundled}\nsecurity: {masterKey: " + Chart.MASTER_KEY + "}\n"))
                    .contains("redis.password (or redis.existingSecret) is required");
        }

        @Test
        void should_require_the_url_of_an_external_redis() {
            assertThat(Chart.renderFailure("redis: {mode: external}\nsecurity: {masterKey: " + Chart.MASTER_KEY + "}\n"))
                    .contains("redis.external.url is required");
        }
    }
}
