package io.consilium.deploy;

import static io.consilium.deploy.Rendered.podLabels;
import static io.consilium.deploy.Rendered.selects;
import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.autoscaling.v2.HorizontalPodAutoscaler;
import io.fabric8.kubernetes.api.model.networking.v1.Ingress;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicy;
import io.fabric8.kubernetes.api.model.policy.v1.PodDisruptionBudget;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Autoscaling, the disruption budget, the Ingress, the ServiceMonitor and the router's network policy. */
class ScalingAndExposureTest {

    @Test
    void should_scale_the_router_deployment_with_an_autoscaler_instead_of_a_fixed_replica_count() {
        // given
        Rendered chart = Chart.render(Chart.SECRETS, Chart.example("autoscaling.yaml"));
        Deployment router = chart.router();

        // when
        HorizontalPodAutoscaler autoscaler = chart.one(HorizontalPodAutoscaler.class, Chart.RELEASE);

        // then
        var target = autoscaler.getSpec().getScaleTargetRef();
        assertThat(target.getApiVersion()).isEqualTo(router.getApiVersion());
        assertThat(target.getKind()).isEqualTo(router.getKind());
        assertThat(target.getName()).isEqualTo(router.getMetadata().getName());
        assertThat(autoscaler.getSpec().getMinReplicas()).isEqualTo(2);
        assertThat(autoscaler.getSpec().getMaxReplicas()).isEqualTo(10);
        assertThat(autoscaler.getSpec().getMetrics()).singleElement().satisfies(metric -> {
            assertThat(metric.getResource().getName()).isEqualTo("cpu");
            assertThat(metric.getResource().getTarget().getAverageUtilization()).isEqualTo(70);
        });
        // and the Deployment leaves the replica count to it, which only works on a shared store
        assertThat(router.getSpec().getReplicas()).isNull();
        assertThat(chart.routerConfig().path("consilium").path("store").asString()).isEqualTo("redis");
        // and the budget keeps one router up, selecting the router's pods
        PodDisruptionBudget budget = chart.one(PodDisruptionBudget.class, Chart.RELEASE);
        assertThat(budget.getSpec().getMinAvailable().getIntVal()).isEqualTo(1);
        assertThat(budget.getSpec().getMaxUnavailable()).isNull();
        assertThat(selects(budget.getSpec().getSelector(), podLabels(router))).isTrue();
    }

    @Test
    void should_route_the_ingress_to_the_router_service_port() {
        // given
        Rendered chart = Chart.render(Chart.example("ingress.yaml"));
        Service service = chart.one(Service.class, Chart.RELEASE);

        // when
        Ingress ingress = chart.one(Ingress.class, Chart.RELEASE);

        // then
        assertThat(ingress.getSpec().getIngressClassName()).isEqualTo("nginx");
        assertThat(ingress.getSpec().getTls()).singleElement().satisfies(tls -> {
            assertThat(tls.getSecretName()).isEqualTo("consilium-tls");
            assertThat(tls.getHosts()).containsExactly("consilium.example.com");
        });
        assertThat(ingress.getSpec().getRules()).singleElement().satisfies(rule -> {
            assertThat(rule.getHost()).isEqualTo("consilium.example.com");
            assertThat(rule.getHttp().getPaths()).singleElement().satisfies(path -> {
                assertThat(path.getPath()).isEqualTo("/");
                assertThat(path.getPathType()).isEqualTo("Prefix");
                var backend = path.getBackend().getService();
                assertThat(backend.getName()).isEqualTo(service.getMetadata().getName());
                assertThat(service.getSpec().getPorts()).anySatisfy(port ->
                        assertThat(port.getName()).isEqualTo(backend.getPort().getName()));
            });
        });
        // and streams are not buffered by the proxy
        assertThat(ingress.getMetadata().getAnnotations()).containsEntry("nginx.ingress.kubernetes.io/proxy-buffering", "off");
    }

    @Test
    void should_scrape_the_prometheus_endpoint_of_the_router_service() {
        // given: the service exposes the endpoint
        assertThat(ServiceConfig.defaults().path("management").path("endpoints").path("web").path("exposure")
                .path("include").asString()).contains("prometheus");
        Rendered chart = Chart.render("monitoring: {serviceMonitor: {enabled: true, labels: {release: prometheus}}}\n");
        Service service = chart.one(Service.class, Chart.RELEASE);

        // when
        GenericKubernetesResource monitor = chart.one(GenericKubernetesResource.class, Chart.RELEASE);

        // then
        assertThat(monitor.getApiVersion()).isEqualTo("monitoring.coreos.com/v1");
        assertThat(monitor.getKind()).isEqualTo("ServiceMonitor");
        assertThat(monitor.getMetadata().getLabels()).containsEntry("release", "prometheus");
        @SuppressWarnings("unchecked")
        Map<String, String> selector = (Map<String, String>) monitor.get("spec", "selector", "matchLabels");
        assertThat(selects(selector, service.getMetadata().getLabels())).isTrue();
        List<Map<String, Object>> endpoints = monitor.get("spec", "endpoints");
        assertThat(endpoints).singleElement().satisfies(endpoint -> {
            assertThat(endpoint).containsEntry("path", "/actuator/prometheus");
            assertThat(service.getSpec().getPorts()).anySatisfy(port ->
                    assertThat(port.getName()).isEqualTo(endpoint.get("port")));
        });
    }

    @Test
    void should_admit_only_the_configured_sources_to_the_router_when_network_policies_are_on() {
        // given
        Rendered chart = Chart.render("""
                networkPolicy:
                  enabled: true
                  ingressFrom:
                    - namespaceSelector:
                        matchLabels: {kubernetes.io/metadata.name: ingress-nginx}
                """);

        // when
        NetworkPolicy policy = chart.one(NetworkPolicy.class, Chart.RELEASE);

        // then
        assertThat(selects(policy.getSpec().getPodSelector(), podLabels(chart.router()))).isTrue();
        assertThat(policy.getSpec().getIngress()).singleElement().satisfies(rule -> {
            assertThat(rule.getPorts()).singleElement().satisfies(port -> assertThat(port.getPort().getStrVal()).isEqualTo("http"));
            assertThat(rule.getFrom()).singleElement().satisfies(peer -> assertThat(peer.getNamespaceSelector().getMatchLabels())
                    .containsEntry("kubernetes.io/metadata.name", "ingress-nginx"));
        });
    }
}
