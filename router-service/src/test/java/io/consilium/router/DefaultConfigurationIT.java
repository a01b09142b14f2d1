package io.consilium.router;

import static org.assertj.core.api.Assertions.assertThat;

import com.openai.client.OpenAIClient;
import com.openai.client.okhttp.OpenAIOkHttpClient;
import com.openai.models.chat.completions.ChatCompletion;
import com.openai.models.chat.completions.ChatCompletionCreateParams;
import com.openai.models.models.Model;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import tools.jackson.databind.json.JsonMapper;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.web.server.context.WebServerApplicationContext;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * The service as the README starts it: bundled configuration only, no external service. The operator
 * takes the admin key from the start-up log, creates an API key with it, and clients use that.
 */
@ExtendWith(OutputCaptureExtension.class)
class DefaultConfigurationIT {

    private static final Pattern ADMIN_KEY = Pattern.compile("csa-[A-Za-z0-9_-]{32}");

    @Test
    void should_start_on_embedded_defaults_and_answer_through_a_mock_expert(CapturedOutput output) throws Exception {
        try (ConfigurableApplicationContext context =
                SpringApplication.run(ConsiliumApplication.class, "--server.port=0");
                HttpClient http = HttpClient.newHttpClient()) {
            // given: the admin key printed once at first start, and an API key made with it
            int port = ((WebServerApplicationContext) context).getWebServer().getPort();
            Matcher printed = ADMIN_KEY.matcher(output.getAll());
            assertThat(printed.find()).as("the generated admin key is printed").isTrue();
            String adminKey = printed.group();
            assertThat(printed.find()).as("the admin key is printed only once").isFalse();
            HttpResponse<String> created = http.send(HttpRequest.newBuilder(
                            URI.create("http://127.0.0.1:" + port + "/admin/api/keys"))
                    .header("authorization", "Bearer " + adminKey).header("content-type", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofString("{\"name\": \"readme\"}")).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(created.statusCode()).as(created.body()).isEqualTo(201);
            String apiKey = JsonMapper.builder().build().readTree(created.body()).path("key").asString();
            OpenAIClient client = OpenAIOkHttpClient.builder()
                    .baseUrl("http://127.0.0.1:" + port + "/v1").apiKey(apiKey).maxRetries(0).build();

            // when
            List<String> models = client.models().list().data().stream().map(Model::id).toList();
            ChatCompletion answer = client.chat().completions().create(ChatCompletionCreateParams.builder()
                    .model("mock-math").addUserMessage("Integrate x^2 from 0 to 1").build());

            ChatCompletion auto = client.chat().completions().create(ChatCompletionCreateParams.builder()
                    .model("consilium/auto").addUserMessage("What is the derivative of x^3?").build());
            java.util.Map<?, ?> metadata = auto._additionalProperties().get("consilium").convert(java.util.Map.class);

            // then
            assertThat(models).contains("consilium/auto", "consilium/route",
                    "mock-math", "mock-code", "mock-science", "mock-generalist");
            assertThat(metadata.get("skills").toString()).contains("math.calculus");
            assertThat(metadata.get("experts").toString()).contains("mock-math");
            assertThat(metadata.get("fusion")).isNotNull();
            assertThat(auto.choices().getFirst().message().content()).hasValueSatisfying(text ->
                    assertThat(text).contains("[mock"));
            assertThat(answer.choices().getFirst().message().content()).hasValueSatisfying(text -> assertThat(text)
                    .startsWith("[mock mock-math]")
                    .contains("Integrate x^2 from 0 to 1"));
        }
    }
}
