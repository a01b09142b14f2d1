package io.consilium.router.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import com.openai.client.OpenAIClient;
import com.openai.client.okhttp.OpenAIOkHttpClient;
import com.openai.core.http.StreamResponse;
import com.openai.models.chat.completions.ChatCompletion;
import com.openai.models.chat.completions.ChatCompletionChunk;
import com.openai.models.chat.completions.ChatCompletionCreateParams;
import io.consilium.registry.Expert;
import io.consilium.registry.ExpertRegistry;
import io.consilium.registry.Provider;
import io.consilium.router.ConsiliumApplication;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.stream.StreamSupport;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The {@code expert-serving} profile, as the Helm chart deploys it for a local expert: one instance serves
 * its experts file over the OpenAI protocol, and a router whose start-up experts (an additional config
 * file, like the chart's ConfigMap) name it as an ordinary {@code provider: openai} expert answers
 * through it over HTTP. The served expert is a mock here, so the test needs no model files.
 */
class ExpertServingIT {

    private static final String ADMIN_KEY = "router-admin-key";
    private static final String EXPERT = "local-math";
    private static final JsonMapper JSON = JsonMapper.builder().build();
    private static final HttpClient HTTP = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

    private static ConfigurableApplicationContext serving;
    private static ConfigurableApplicationContext router;

    @BeforeAll
    static void start(@TempDir Path dir) throws IOException {
        // given: an expert-serving instance with one served expert, as in the chart's local expert ConfigMap
        Path served = Files.writeString(dir.resolve("experts.yaml"), """
                - id: %s
                  provider: mock
                  skills: [math.algebra, math.calculus]
                  mock: {latency: 5ms}
                """.formatted(EXPERT));
        serving = new SpringApplicationBuilder(ConsiliumApplication.class).run(
                "--server.port=0",
                "--spring.profiles.active=expert-serving",
                "--consilium.experts-file=" + served);

        // and a router that lists it among its start-up experts, as the chart's router ConfigMap does
        Path routerConfig = Files.writeString(dir.resolve("application.yaml"), """
                consilium:
                  experts:
                    - id: %s
                      provider: openai
                      base-url: http://127.0.0.1:%d/v1
                      model: %s
                      skills: [math.algebra, math.calculus]
                      limits: {timeout: 20s}
                """.formatted(EXPERT, port(serving), EXPERT));
        router = new SpringApplicationBuilder(ConsiliumApplication.class).run(
                "--server.port=0",
                "--spring.config.additional-location=file:" + routerConfig,
                "--consilium.auth.admin-key=" + ADMIN_KEY);
    }

    @AfterAll
    static void stop() {
        if (router != null) {
            router.close();
        }
        if (serving != null) {
            serving.close();
        }
    }

    @Test
    void should_serve_only_the_experts_of_its_file_to_callers_without_a_key() {
        // when
        HttpResponse<String> models = get(serving, "/v1/models", null);

        // then: anonymous /v1 works, and the built-in mock experts are gone
        assertThat(models.statusCode()).isEqualTo(200);
        assertThat(ids(models)).contains(EXPERT).doesNotContain("mock-math", "mock-generalist");
        assertThat(serving.getBean(ExpertRegistry.class).all()).extracting(Expert::id).containsExactly(EXPERT);
    }

    @Test
    void should_keep_its_admin_api_behind_a_key() {
        assertThat(get(serving, "/admin/api/experts", null).statusCode()).isEqualTo(401);
    }

    @Test
    void should_still_require_keys_on_the_router() {
        assertThat(get(router, "/v1/models", null).statusCode()).isEqualTo(401);
    }

    @Test
    void should_register_the_served_expert_on_the_router_as_an_openai_expert_instead_of_the_mocks() {
        // when
        ExpertRegistry experts = router.getBean(ExpertRegistry.class);

        // then
        assertThat(experts.all()).extracting(Expert::id).containsExactly(EXPERT);
        assertThat(experts.find(EXPERT)).hasValueSatisfying(expert -> {
            assertThat(expert.provider()).isEqualTo(Provider.OPENAI);
            assertThat(expert.baseUrl()).hasToString("http://127.0.0.1:" + port(serving) + "/v1");
        });
    }

    @Test
    void should_answer_a_chat_through_the_router_from_the_serving_instance() {
        // when
        ChatCompletion completion = client(router).chat().completions().create(ChatCompletionCreateParams.builder()
                .model(EXPERT)
                .addUserMessage("What is the derivative of x^3?")
                .build());

        // then: the answer was written by the serving instance's mock expert, reached over HTTP
        assertThat(completion.choices().getFirst().message().content()).hasValueSatisfying(text ->
                assertThat(text).startsWith("[mock " + EXPERT + "]"));
        assertThat(completion._additionalProperties()).containsKey("consilium");
        assertThat(get(serving, "/actuator/prometheus", null).body())
                .contains("consilium_expert_calls_seconds_count{")
                .contains("expert=\"" + EXPERT + "\"");
    }

    @Test
    void should_stream_the_serving_instances_answer_through_the_router() {
        // when
        StringBuilder text = new StringBuilder();
        try (StreamResponse<ChatCompletionChunk> stream = client(router).chat().completions().createStreaming(
                ChatCompletionCreateParams.builder().model(EXPERT).addUserMessage("Integrate x^2").build())) {
            stream.stream().forEach(chunk -> chunk.choices().forEach(choice -> choice.delta().content().ifPresent(text::append)));
        }

        // then
        assertThat(text.toString()).startsWith("[mock " + EXPERT + "]");
    }

    @Test
    void should_route_a_virtual_model_request_to_the_served_expert() {
        // when
        ChatCompletion completion = client(router).chat().completions().create(ChatCompletionCreateParams.builder()
                .model("consilium/route")
                .addUserMessage("What is the integral of x^2 from 0 to 3?")
                .build());

        // then
        assertThat(completion.choices().getFirst().message().content()).hasValueSatisfying(text ->
                assertThat(text).contains("[mock " + EXPERT + "]"));
    }

    private static OpenAIClient client(ConfigurableApplicationContext context) {
        return OpenAIOkHttpClient.builder()
                .baseUrl("http://127.0.0.1:" + port(context) + "/v1")
                .apiKey(ADMIN_KEY)
                .maxRetries(0)
                .timeout(Duration.ofSeconds(30))
                .build();
    }

    private static int port(ConfigurableApplicationContext context) {
        return context.getEnvironment().getRequiredProperty("local.server.port", Integer.class);
    }

    private static HttpResponse<String> get(ConfigurableApplicationContext context, String path, String bearer) {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port(context) + path))
                .timeout(Duration.ofSeconds(30));
        if (bearer != null) {
            request.header("authorization", "Bearer " + bearer);
        }
        try {
            return HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new IllegalStateException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private static java.util.List<String> ids(HttpResponse<String> models) {
        JsonNode data = JSON.readTree(models.body()).path("data");
        return StreamSupport.stream(data.spliterator(), false).map(model -> model.path("id").asString()).toList();
    }
}
