package io.consilium.deploy;

import static io.consilium.deploy.Rendered.container;
import static org.assertj.core.api.Assertions.assertThat;

import io.consilium.registry.Expert;
import io.consilium.registry.ExpertApi;
import io.consilium.router.config.ConsiliumProperties;
import io.consilium.router.experts.ExpertSpec;
import io.consilium.router.experts.ExpertSpecReader;
import io.consilium.router.experts.ExpertsProperties;
import io.consilium.router.tracing.TracingProperties;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.SecretKeySelector;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.boot.context.properties.bind.PropertySourcesPlaceholdersResolver;
import org.springframework.boot.context.properties.source.ConfigurationPropertySources;
import org.springframework.boot.convert.ApplicationConversionService;
import org.springframework.boot.env.YamlPropertySourceLoader;
import org.springframework.core.env.MutablePropertySources;
import org.springframework.core.env.PropertySource;
import org.springframework.core.env.StandardEnvironment;
import org.springframework.core.env.SystemEnvironmentPropertySource;
import org.springframework.core.io.ByteArrayResource;
import tools.jackson.databind.JsonNode;

/**
 * The rendered configuration read the way the service reads it: the ConfigMap's application.yaml and
 * the container's environment (secrets resolved as the kubelet would) bound to {@link ConsiliumProperties}
 * by Spring's binder, with relaxed environment names and ${...} placeholders.
 */
class ServiceConfigurationTest {

    private static final String TRACES_ENDPOINT = "management.opentelemetry.tracing.export.otlp.endpoint";
    private static final String EXISTING_SECRET_VALUE = "sk-from-an-existing-secret";
    private static final String VALUES = """
            redis:
              mode: external
              external:
                url: redis://redis.data.svc:6379
                username: consilium
            experts:
              - id: remote-math
                provider: openai
                base-url: http://vllm-math.models.svc:8000/v1
                model: mathstral
                apiKey: sk-from-values
                skills: [math.algebra]
                limits: {max-concurrency: 8, timeout: 30s}
              - id: remote.code_2
                provider: openai
                base-url: http://vllm-code.models.svc:8000/v1
                model: coder
                apiKeySecret: {name: vllm-keys, key: code}
                apis: [chat_completions, responses]
            localExperts:
              - name: local-mock
                expert:
                  provider: mock
                  skills: [general.chat]
                  limits: {timeout: 90s}
            config:
              consilium:
                routing:
                  default-k: 2
            taxonomy:
              skills:
                - id: cooking
                  description: recipes and kitchen technique
                  exemplars: ["How long do I boil an egg?", "How do I make a roux?", "Why did my bread not rise?",
                    "What can I cook with leftover rice?", "How do I sharpen a kitchen knife?"]
            """;

    private static Rendered chart;
    private static ConsiliumProperties properties;
    private static ExpertsProperties configuredExperts;

    @BeforeAll
    static void bind() {
        chart = Chart.render(Chart.SECRETS, VALUES);
        Binder binder = bindAsTheServiceWould(chart);
        properties = binder.bindOrCreate("consilium", ConsiliumProperties.class);
        configuredExperts = binder.bindOrCreate("consilium", ExpertsProperties.class);
    }

    @Test
    void should_bind_the_store_and_secrets_from_the_config_map_and_the_environment() {
        assertThat(properties.store()).isEqualTo("redis");
        assertThat(properties.redis().url()).isEqualTo("redis://redis.data.svc:6379");
        assertThat(properties.redis().username()).isEqualTo("consilium");
        assertThat(properties.redis().password()).isEqualTo(Chart.REDIS_PASSWORD);
        assertThat(properties.auth().adminKey()).isEqualTo(Chart.ADMIN_KEY);
        assertThat(properties.auth().anonymous()).isFalse();
        assertThat(properties.security().masterKey()).isEqualTo(Chart.MASTER_KEY);
        // and settings given as config values reach the service too
        assertThat(properties.routing().defaultK()).isEqualTo(2);
    }

    @Test
    void should_ship_taxonomy_overrides_in_the_config_map_and_point_the_service_at_them() {
        // when
        String taxonomy = chart.one(ConfigMap.class, Chart.RELEASE).getData().get("taxonomy.yaml");

        // then: the file sits in the mounted config directory the setting names
        assertThat(properties.taxonomyFile()).isEqualTo("/etc/consilium/config/taxonomy.yaml");
        assertThat(taxonomy).contains("skills:").contains("id: cooking").contains("How do I make a roux?");
    }

    @Test
    void should_resolve_each_experts_api_key_from_its_secret() {
        // when
        Map<String, ExpertSpec> experts = byId(configuredExperts.experts());

        // then
        assertThat(experts).containsOnlyKeys("remote-math", "remote.code_2", "local-mock");
        assertThat(experts.get("remote-math").apiKey()).isEqualTo("sk-from-values");
        assertThat(experts.get("remote.code_2").apiKey()).isEqualTo(EXISTING_SECRET_VALUE);
        // and every entry is an expert the service accepts, with the APIs its endpoint serves
        assertThat(configuredExperts.experts()).allSatisfy(spec -> assertThat(spec.toExpert()).isNotNull());
        assertThat(experts.get("remote.code_2").toExpert().serves(ExpertApi.RESPONSES)).isTrue();
        assertThat(experts.get("remote-math").toExpert().serves(ExpertApi.RESPONSES)).isFalse();
    }

    @Test
    void should_give_the_router_an_openai_entry_for_each_local_expert_service() {
        // when
        Expert local = byId(configuredExperts.experts()).get("local-mock").toExpert();

        // then: it calls the expert's Service, keyless (the expert-serving profile is anonymous)
        String service = Chart.RELEASE + "-expert-local-mock";
        assertThat(local.provider().id()).isEqualTo("openai");
        assertThat(local.baseUrl()).hasToString("http://" + service + "." + Chart.NAMESPACE + ".svc:8080/v1");
        assertThat(local.model()).isEqualTo("local-mock");
        assertThat(local.apiKey()).isNull();
        assertThat(local.skills()).containsExactly("general.chat");
        assertThat(local.limits().timeout()).hasSeconds(90);
        assertThat(ServiceConfig.profile("expert-serving").path("consilium").path("auth").path("anonymous").asBoolean()).isTrue();
        // and that Service exists with the port of the URL
        assertThat(chart.one(io.fabric8.kubernetes.api.model.Service.class, service).getSpec().getPorts())
                .singleElement().satisfies(port -> assertThat(port.getPort()).isEqualTo(8080));
    }

    @Test
    void should_serve_a_local_expert_definition_from_where_the_profile_reads_it(@TempDir Path dir) throws IOException {
        // given: where the expert-serving profile looks for its experts
        Path expertsFile = Path.of(ServiceConfig.profile("expert-serving").path("consilium").path("experts-file").asString());
        var deployment = chart.one(io.fabric8.kubernetes.api.model.apps.Deployment.class, Chart.RELEASE + "-expert-local-mock");
        var container = container(deployment);

        // when: the file the chart mounts there
        var mount = container.getVolumeMounts().stream()
                .filter(m -> Path.of(m.getMountPath()).equals(expertsFile.getParent())).findFirst().orElseThrow();
        var volume = deployment.getSpec().getTemplate().getSpec().getVolumes().stream()
                .filter(v -> v.getName().equals(mount.getName())).findFirst().orElseThrow();
        String served = chart.one(ConfigMap.class, volume.getConfigMap().getName()).getData()
                .get(expertsFile.getFileName().toString());

        // then: the service reads it as a valid expert, under the id the router's entry asks for
        Path copy = Files.writeString(dir.resolve("experts.yaml"), served);
        ExpertSpecReader reader = new ExpertSpecReader();
        List<JsonNode> entries = reader.readYamlEntries(copy);
        assertThat(entries).singleElement().satisfies(entry -> {
            Expert expert = reader.fromJson(entry).toExpert();
            assertThat(expert.id()).isEqualTo("local-mock");
            assertThat(expert.provider().id()).isEqualTo("mock");
        });
        assertThat(Rendered.env(container, "SPRING_PROFILES_ACTIVE")).map(EnvVar::getValue).hasValue("expert-serving");
    }

    @Test
    void should_leave_tracing_off_unless_the_values_name_a_collector() {
        Binder binder = bindAsTheServiceWould(chart);

        assertThat(binder.bind(TRACES_ENDPOINT, String.class).isBound()).isFalse();
        assertThat(binder.bindOrCreate("consilium.tracing", TracingProperties.class).captureContent()).isFalse();
    }

    @Test
    void should_point_the_trace_exporter_at_the_collector_the_values_name() {
        // given
        Rendered traced = Chart.render(Chart.SECRETS, VALUES, """
                tracing:
                  endpoint: http://otel-collector.observability:4318/v1/traces
                  samplingProbability: 0.25
                  captureContent: true
                """);

        // when
        Binder binder = bindAsTheServiceWould(traced);

        // then
        assertThat(binder.bind(TRACES_ENDPOINT, String.class).get())
                .isEqualTo("http://otel-collector.observability:4318/v1/traces");
        assertThat(binder.bind("management.tracing.sampling.probability", Double.class).get()).isEqualTo(0.25);
        assertThat(binder.bindOrCreate("consilium.tracing", TracingProperties.class).captureContent()).isTrue();
    }

    @Test
    void should_refuse_a_trace_endpoint_that_is_not_a_url() {
        assertThat(Chart.renderFailure("""
                tracing:
                  endpoint: otel-collector:4318
                """)).contains("tracing");
    }

    private static Map<String, ExpertSpec> byId(List<ExpertSpec> experts) {
        Map<String, ExpertSpec> byId = new HashMap<>();
        experts.forEach(spec -> byId.put(spec.id(), spec));
        return byId;
    }

    /** The router container's configuration as Spring sees it at start-up. */
    private static Binder bindAsTheServiceWould(Rendered chart) {
        var router = container(chart.router());
        Map<String, Object> environment = new HashMap<>();
        Map<String, String> chartSecret = chart.secretData(Chart.RELEASE);
        for (EnvVar variable : router.getEnv()) {
            if (variable.getValueFrom() == null) {
                environment.put(variable.getName(), variable.getValue());
                continue;
            }
            SecretKeySelector ref = variable.getValueFrom().getSecretKeyRef();
            environment.put(variable.getName(), ref.getName().equals(Chart.RELEASE)
                    ? chartSecret.get(ref.getKey())
                    : existingSecret(ref));
        }
        MutablePropertySources sources = new MutablePropertySources();
        // Environment variables rank above the additional config file, as in a running service.
        sources.addLast(new SystemEnvironmentPropertySource(
                StandardEnvironment.SYSTEM_ENVIRONMENT_PROPERTY_SOURCE_NAME, environment));
        String applicationYaml = chart.one(ConfigMap.class, Chart.RELEASE).getData().get("application.yaml");
        try {
            for (PropertySource<?> source : new YamlPropertySourceLoader().load("chart-config",
                    new ByteArrayResource(applicationYaml.getBytes(StandardCharsets.UTF_8)))) {
                sources.addLast(source);
            }
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
        return new Binder(ConfigurationPropertySources.from(sources),
                new PropertySourcesPlaceholdersResolver(sources), ApplicationConversionService.getSharedInstance());
    }

    private static String existingSecret(SecretKeySelector ref) {
        assertThat(ref.getName()).isEqualTo("vllm-keys");
        assertThat(ref.getKey()).isEqualTo("code");
        return EXISTING_SECRET_VALUE;
    }
}
