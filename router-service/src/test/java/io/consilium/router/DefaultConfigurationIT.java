package io.consilium.router;

import static org.assertj.core.api.Assertions.assertThat;

import com.openai.client.OpenAIClient;
import com.openai.client.okhttp.OpenAIOkHttpClient;
import com.openai.models.chat.completions.ChatCompletion;
import com.openai.models.chat.completions.ChatCompletionCreateParams;
import com.openai.models.models.Model;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.web.server.context.WebServerApplicationContext;
import org.springframework.context.ConfigurableApplicationContext;

/** The service as the README starts it: bundled configuration only, no external service. */
class DefaultConfigurationIT {

    @Test
    void should_start_on_embedded_defaults_and_answer_through_a_mock_expert() {
        try (ConfigurableApplicationContext context =
                SpringApplication.run(ConsiliumApplication.class, "--server.port=0")) {
            // given
            int port = ((WebServerApplicationContext) context).getWebServer().getPort();
            OpenAIClient client = OpenAIOkHttpClient.builder()
                    .baseUrl("http://127.0.0.1:" + port + "/v1").apiKey("unused").maxRetries(0).build();

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
