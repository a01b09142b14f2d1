package io.consilium.deploy;

import static io.consilium.deploy.Rendered.container;
import static io.consilium.deploy.Rendered.env;
import static io.consilium.deploy.Rendered.podLabels;
import static io.consilium.deploy.Rendered.selects;
import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.ContainerPort;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.PodSpec;
import io.fabric8.kubernetes.api.model.Probe;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.ServiceAccount;
import io.fabric8.kubernetes.api.model.Volume;
import io.fabric8.kubernetes.api.model.VolumeMount;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.StatefulSet;
import io.fabric8.kubernetes.api.model.autoscaling.v2.HorizontalPodAutoscaler;
import io.fabric8.kubernetes.api.model.networking.v1.Ingress;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicy;
import io.fabric8.kubernetes.api.model.policy.v1.PodDisruptionBudget;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.springframework.boot.convert.DurationStyle;
import tools.jackson.databind.JsonNode;

/** The router as a bare {@code helm install} deploys it: default values only. */
class RouterDeploymentTest {

    private static Rendered chart;
    private static Deployment router;
    private static Container container;
    private static PodSpec pod;

    @BeforeAll
    static void render() {
        chart = Chart.render();
        router = chart.router();
        container = container(router);
        pod = router.getSpec().getTemplate().getSpec();
    }

    @Test
    void should_probe_the_health_groups_the_service_exposes() {
        // given: what the service itself enables and exposes
        JsonNode management = ServiceConfig.defaults().path("management");
        assertThat(management.path("endpoint").path("health").path("probes").path("enabled").asBoolean()).isTrue();
        assertThat(management.path("endpoints").path("web").path("exposure").path("include").asString()).contains("health");

        // then: startup and liveness on the liveness group, readiness on the readiness group
        assertThat(path(container.getStartupProbe())).isEqualTo("/actuator/health/liveness");
        assertThat(path(container.getLivenessProbe())).isEqualTo("/actuator/health/liveness");
        assertThat(path(container.getReadinessProbe())).isEqualTo("/actuator/health/readiness");
        // and every probe goes to the port the service listens on
        for (Probe probe : new Probe[] {container.getStartupProbe(), container.getLivenessProbe(), container.getReadinessProbe()}) {
            assertThat(probe.getHttpGet().getPort().getStrVal()).isEqualTo("http");
        }
        assertThat(httpPort().getContainerPort()).isEqualTo(chart.routerConfig().path("server").path("port").asInt());
    }

    @Test
    void should_give_a_slow_first_start_more_time_than_liveness_does() {
        // when
        Probe startup = container.getStartupProbe();
        Probe liveness = container.getLivenessProbe();

        // then
        assertThat(startup.getPeriodSeconds() * startup.getFailureThreshold())
                .isGreaterThan(liveness.getPeriodSeconds() * liveness.getFailureThreshold())
                .isGreaterThanOrEqualTo(60);
    }

    @Test
    void should_run_as_non_root_with_a_read_only_root_filesystem() {
        // then: the pod
        assertThat(pod.getSecurityContext().getRunAsNonRoot()).isTrue();
        assertThat(pod.getSecurityContext().getRunAsUser()).isEqualTo(10001L);
        assertThat(pod.getSecurityContext().getSeccompProfile().getType()).isEqualTo("RuntimeDefault");
        assertThat(pod.getAutomountServiceAccountToken()).isFalse();
        // and the container
        var security = container.getSecurityContext();
        assertThat(security.getRunAsNonRoot()).isTrue();
        assertThat(security.getRunAsUser()).isEqualTo(10001L);
        assertThat(security.getReadOnlyRootFilesystem()).isTrue();
        assertThat(security.getAllowPrivilegeEscalation()).isFalse();
        assertThat(security.getCapabilities().getDrop()).containsExactly("ALL");
        assertThat(security.getCapabilities().getAdd()).isNullOrEmpty();
        assertThat(security.getSeccompProfile().getType()).isEqualTo("RuntimeDefault");
        // and /tmp is the writable emptyDir the JVM, Tomcat and the native libraries need
        VolumeMount tmp = mount("/tmp");
        assertThat(volume(tmp.getName()).getEmptyDir()).isNotNull();
        assertThat(tmp.getReadOnly()).isNotEqualTo(Boolean.TRUE);
        assertThat(env(container, "DJL_CACHE_DIR")).map(EnvVar::getValue).hasValueSatisfying(dir -> assertThat(dir).startsWith("/tmp/"));
    }

    @Test
    void should_not_mount_a_service_account_token() {
        // when
        ServiceAccount account = chart.one(ServiceAccount.class, pod.getServiceAccountName());

        // then
        assertThat(account.getAutomountServiceAccountToken()).isFalse();
        assertThat(pod.getEnableServiceLinks()).isFalse();
    }

    @Test
    void should_request_and_limit_cpu_and_memory() {
        // when
        Map<String, Quantity> requests = container.getResources().getRequests();
        Map<String, Quantity> limits = container.getResources().getLimits();

        // then
        assertThat(requests).containsKeys("cpu", "memory");
        assertThat(limits).containsKeys("cpu", "memory");
        assertThat(Quantity.getAmountInBytes(limits.get("memory")))
                .isGreaterThanOrEqualTo(Quantity.getAmountInBytes(requests.get("memory")));
        assertThat(env(container, "JAVA_TOOL_OPTIONS")).map(EnvVar::getValue)
                .hasValueSatisfying(flags -> assertThat(flags).contains("-XX:MaxRAMPercentage="));
    }

    @Test
    void should_select_its_own_pods_from_the_deployment_service_budget_and_spread_constraints() {
        // given
        Map<String, String> labels = podLabels(router);
        Service service = chart.one(Service.class, Chart.RELEASE);
        PodDisruptionBudget budget = chart.one(PodDisruptionBudget.class, Chart.RELEASE);

        // then
        assertThat(selects(router.getSpec().getSelector(), labels)).isTrue();
        assertThat(selects(service.getSpec().getSelector(), labels)).isTrue();
        assertThat(selects(budget.getSpec().getSelector(), labels)).isTrue();
        assertThat(pod.getTopologySpreadConstraints()).isNotEmpty()
                .allSatisfy(constraint -> assertThat(selects(constraint.getLabelSelector(), labels)).isTrue());
        // and the Service reaches the container's port by name
        assertThat(service.getSpec().getPorts()).singleElement()
                .satisfies(port -> assertThat(port.getTargetPort().getStrVal()).isEqualTo(httpPort().getName()));
    }

    @Test
    void should_drain_requests_before_the_pod_is_killed() {
        // given: the service shuts down gracefully
        assertThat(ServiceConfig.defaults().path("server").path("shutdown").asString()).isEqualTo("graceful");

        // when
        long grace = pod.getTerminationGracePeriodSeconds();
        var preStop = container.getLifecycle().getPreStop().getExec().getCommand();
        Duration drain = DurationStyle.detectAndParse(chart.routerConfig()
                .path("spring").path("lifecycle").path("timeout-per-shutdown-phase").asString());

        // then: endpoints drop the pod during the sleep, Spring drains afterwards, both within the grace period
        assertThat(preStop).first().isEqualTo("sleep");
        long sleep = Long.parseLong(preStop.get(1));
        assertThat(sleep).isPositive();
        assertThat(sleep + drain.toSeconds()).isLessThan(grace);
    }

    @Test
    void should_point_spring_at_the_mounted_configuration() {
        // given
        String location = env(container, "SPRING_CONFIG_ADDITIONAL_LOCATION").orElseThrow().getValue();
        assertThat(location).startsWith("file:").endsWith("/application.yaml");
        String file = location.substring("file:".length());

        // when
        VolumeMount mount = container.getVolumeMounts().stream()
                .filter(m -> file.startsWith(m.getMountPath() + "/")).findFirst().orElseThrow();
        Volume volume = volume(mount.getName());

        // then: the ConfigMap that the volume projects has the file
        assertThat(mount.getReadOnly()).isTrue();
        ConfigMap config = chart.one(ConfigMap.class, volume.getConfigMap().getName());
        assertThat(config.getData()).containsKey(file.substring(mount.getMountPath().length() + 1));
    }

    @Test
    void should_mount_a_synthesis_prompt_where_the_configuration_names_it() {
        // given
        Rendered withPrompt = Chart.render("synthesisPrompt: |\n  Fuse the answers. Prefer the majority.\n");
        Container router = container(withPrompt.router());

        // when
        String file = withPrompt.routerConfig().path("consilium").path("profiling").path("synthesis-prompt-file").asString();

        // then: the file is a key of the ConfigMap mounted at its directory
        VolumeMount mount = router.getVolumeMounts().stream()
                .filter(m -> file.equals(m.getMountPath() + "/synthesis-prompt.txt")).findFirst().orElseThrow();
        assertThat(mount.getName()).isEqualTo("config");
        assertThat(withPrompt.one(ConfigMap.class, Chart.RELEASE).getData().get("synthesis-prompt.txt"))
                .isEqualTo("Fuse the answers. Prefer the majority.\n");
    }

    @Test
    void should_run_one_replica_on_the_memory_store_without_redis_by_default() {
        // when
        JsonNode consilium = chart.routerConfig().path("consilium");

        // then
        assertThat(router.getSpec().getReplicas()).isEqualTo(1);
        assertThat(consilium.path("store").asString()).isEqualTo("memory");
        assertThat(consilium.has("redis")).isFalse();
        // and the built-in mock experts stay (no chart experts replace them)
        assertThat(consilium.has("experts")).isFalse();
        assertThat(chart.all(StatefulSet.class)).isEmpty();
        assertThat(chart.all(HorizontalPodAutoscaler.class)).isEmpty();
        assertThat(chart.all(Ingress.class)).isEmpty();
        assertThat(chart.all(NetworkPolicy.class)).isEmpty();
        assertThat(chart.all(Secret.class)).isEmpty();
        assertThat(chart.names()).noneMatch(name -> name.startsWith("ServiceMonitor/"));
    }

    @Test
    void should_pass_extra_environment_volumes_and_scheduling_through_to_the_pod() {
        // given
        Rendered custom = Chart.render("""
                extraEnv:
                  - {name: CONSILIUM_ROUTING_DEFAULTK, value: "2"}
                extraVolumes:
                  - {name: classifier, persistentVolumeClaim: {claimName: classifier-model}}
                extraVolumeMounts:
                  - {name: classifier, mountPath: /models/classifier, readOnly: true}
                podAnnotations: {example.com/team: ml}
                nodeSelector: {kubernetes.io/arch: amd64}
                tolerations: [{key: dedicated, operator: Equal, value: llm, effect: NoSchedule}]
                priorityClassName: high
                """);

        // when
        PodSpec customPod = custom.router().getSpec().getTemplate().getSpec();
        Container customContainer = container(custom.router());

        // then
        assertThat(env(customContainer, "CONSILIUM_ROUTING_DEFAULTK")).map(EnvVar::getValue).hasValue("2");
        assertThat(customPod.getVolumes()).filteredOn(v -> v.getName().equals("classifier")).singleElement()
                .satisfies(v -> assertThat(v.getPersistentVolumeClaim().getClaimName()).isEqualTo("classifier-model"));
        assertThat(customContainer.getVolumeMounts()).anySatisfy(m -> assertThat(m.getMountPath()).isEqualTo("/models/classifier"));
        assertThat(custom.router().getSpec().getTemplate().getMetadata().getAnnotations())
                .containsEntry("example.com/team", "ml").containsKeys("checksum/config", "checksum/secret");
        assertThat(customPod.getNodeSelector()).containsEntry("kubernetes.io/arch", "amd64");
        assertThat(customPod.getTolerations()).singleElement().satisfies(t -> assertThat(t.getValue()).isEqualTo("llm"));
        assertThat(customPod.getPriorityClassName()).isEqualTo("high");
    }

    @Test
    void should_label_every_resource_the_standard_way() {
        assertThat(chart.resources()).allSatisfy(resource -> assertThat(labels(resource))
                .containsEntry("app.kubernetes.io/name", "consilium")
                .containsEntry("app.kubernetes.io/instance", Chart.RELEASE)
                .containsEntry("app.kubernetes.io/managed-by", "Helm")
                .containsKeys("app.kubernetes.io/version", "helm.sh/chart"));
    }

    private static Map<String, String> labels(HasMetadata resource) {
        return resource.getMetadata().getLabels();
    }

    private static String path(Probe probe) {
        return probe.getHttpGet().getPath();
    }

    private static ContainerPort httpPort() {
        return container.getPorts().stream().filter(p -> "http".equals(p.getName())).findFirst().orElseThrow();
    }

    private static VolumeMount mount(String path) {
        return container.getVolumeMounts().stream().filter(m -> m.getMountPath().equals(path)).findFirst().orElseThrow();
    }

    private static Volume volume(String name) {
        return pod.getVolumes().stream().filter(v -> v.getName().equals(name)).findFirst().orElseThrow();
    }
}
