package io.consilium.router.embeddings;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import com.openai.core.http.HttpResponseFor;
import com.openai.models.embeddings.CreateEmbeddingResponse;
import com.openai.models.embeddings.EmbeddingCreateParams;
import io.consilium.registry.Expert;
import io.consilium.registry.testing.FakeOpenAiUpstream;
import io.consilium.router.RunningService;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/**
 * {@code POST /v1/embeddings} through the official OpenAI Java SDK: a remote embedding expert on a real HTTP fake
 * upstream (floats, base64, dimensions, token ids), the built-in MiniLM expert of the default configuration, and
 * {@code consilium/route} choosing an expert by the domains of the inputs.
 */
class EmbeddingsIT extends RunningService {

    private static final FakeOpenAiUpstream UPSTREAM = FakeOpenAiUpstream.start();
    private static final String MINILM = "all-minilm-l6-v2";

    private final List<String> registered = new ArrayList<>();

    @AfterAll
    static void stopUpstream() {
        UPSTREAM.close();
    }

    @BeforeEach
    void resetUpstream() {
        UPSTREAM.reset();
    }

    /** Embedding experts of one test would be routing candidates in the next. */
    @AfterEach
    void removeExperts() {
        registered.forEach(registry::remove);
    }

    private Expert embeddingExpert(UnaryOperator<Expert.Builder> customise) {
        Expert expert = registerRemote(UPSTREAM.baseUrl(),
                builder -> customise.apply(builder.model("text-embedding-fake").roleIds(List.of("embedding"))));
        registered.add(expert.id());
        return expert;
    }

    private static JsonNode metadata(CreateEmbeddingResponse response) {
        return JSON.readTree(JSON.writeValueAsString(response._additionalProperties().get("consilium").convert(Map.class)));
    }

    private static double norm(List<Float> vector) {
        return Math.sqrt(vector.stream().mapToDouble(value -> value * value).sum());
    }

    private static double cosine(List<Float> a, List<Float> b) {
        double dot = 0;
        for (int i = 0; i < a.size(); i++) {
            dot += a.get(i) * b.get(i);
        }
        return dot / (norm(a) * norm(b));
    }

    @Test
    void should_embed_through_a_remote_expert_with_its_model_and_report_the_expert() {
        // given
        Expert expert = embeddingExpert(UnaryOperator.identity());

        // when
        HttpResponseFor<CreateEmbeddingResponse> raw = openAi.embeddings().withRawResponse().create(
                EmbeddingCreateParams.builder().model(expert.id()).inputOfArrayOfStrings(List.of("first text", "second"))
                        .encodingFormat(EmbeddingCreateParams.EncodingFormat.FLOAT).user("user-7").build());
        CreateEmbeddingResponse response = raw.parse();

        // then
        assertThat(response.data()).hasSize(2);
        assertThat(response.data().get(1).index()).isEqualTo(1);
        assertThat(response.data().getFirst().embedding()).hasSize(FakeOpenAiUpstream.Reply.EMBEDDING_DIMENSIONS);
        assertThat(norm(response.data().getFirst().embedding())).isCloseTo(1.0, within(1e-5));
        assertThat(response.model()).isEqualTo(expert.id());
        assertThat(response.usage().promptTokens()).isEqualTo(3);
        assertThat(response.usage().totalTokens()).isEqualTo(3);
        assertThat(raw.headers().values("x-consilium-experts")).containsExactly(expert.id());
        assertThat(metadata(response).path("expert").asString()).isEqualTo(expert.id());
        assertThat(metadata(response).path("strategy").asString()).isEqualTo("direct");
        JsonNode sent = UPSTREAM.lastReceived().body();
        assertThat(UPSTREAM.lastReceived().path()).isEqualTo("/v1/embeddings");
        assertThat(sent.path("model").asString()).isEqualTo("text-embedding-fake");
        assertThat(sent.path("user").asString()).isEqualTo("user-7");
    }

    @Test
    void should_give_the_same_vectors_in_base64_and_honour_dimensions() {
        // given
        Expert expert = embeddingExpert(UnaryOperator.identity());
        EmbeddingCreateParams.Builder ask = EmbeddingCreateParams.builder().model(expert.id()).input("one text")
                .dimensions(8);

        // when
        CreateEmbeddingResponse floats = openAi.embeddings().create(
                ask.encodingFormat(EmbeddingCreateParams.EncodingFormat.FLOAT).build());
        CreateEmbeddingResponse base64 = openAi.embeddings().create(
                ask.encodingFormat(EmbeddingCreateParams.EncodingFormat.BASE64).build());
        HttpResponse<String> rawBase64 = postJson("/v1/embeddings", """
                {"model": "%s", "input": "one text", "dimensions": 8, "encoding_format": "base64"}""".formatted(expert.id()));

        // then
        assertThat(floats.data().getFirst().embedding()).hasSize(8);
        assertThat(base64.data().getFirst().embedding()).containsExactlyElementsOf(floats.data().getFirst().embedding());
        assertThat(json(rawBase64).path("data").path(0).path("embedding").isString()).isTrue();
        assertThat(UPSTREAM.lastReceived().body().path("dimensions").asInt()).isEqualTo(8);
    }

    @Test
    void should_pass_token_ids_to_a_remote_expert() {
        // given
        Expert expert = embeddingExpert(UnaryOperator.identity());

        // when
        CreateEmbeddingResponse response = openAi.embeddings().create(EmbeddingCreateParams.builder().model(expert.id())
                .inputOfArrayOfTokenArrays(List.of(List.of(10L, 20L, 30L), List.of(40L))).build());

        // then
        assertThat(response.data()).hasSize(2);
        assertThat(response.usage().promptTokens()).isEqualTo(4);
        assertThat(UPSTREAM.lastReceived().body().path("input").path(0).path(2).asInt()).isEqualTo(30);
    }

    @Test
    void should_embed_in_process_with_the_builtin_minilm_expert() {
        // when
        CreateEmbeddingResponse response = openAi.embeddings().create(EmbeddingCreateParams.builder().model(MINILM)
                .inputOfArrayOfStrings(List.of("The cat sat on the mat.", "A kitten is sitting on a rug.",
                        "Quarterly revenue rose by four percent."))
                .encodingFormat(EmbeddingCreateParams.EncodingFormat.BASE64).build());

        // then: unit vectors of 384 dimensions that put similar sentences close
        List<Float> cat = response.data().get(0).embedding();
        List<Float> kitten = response.data().get(1).embedding();
        List<Float> revenue = response.data().get(2).embedding();
        assertThat(cat).hasSize(384);
        assertThat(norm(cat)).isCloseTo(1.0, within(1e-4));
        assertThat(cosine(cat, kitten)).isGreaterThan(cosine(cat, revenue) + 0.2);
        assertThat(response.usage().promptTokens()).isGreaterThan(10);
        assertThat(metadata(response).path("dimensions").asInt()).isEqualTo(384);
        CreateEmbeddingResponse again = openAi.embeddings().create(EmbeddingCreateParams.builder().model(MINILM)
                .input("The cat sat on the mat.").dimensions(384).build());
        assertThat(cosine(again.data().getFirst().embedding(), cat)).isCloseTo(1.0, within(1e-4));
    }

    @Test
    void should_embed_an_input_far_longer_than_the_builtin_expert_reads() {
        // given: thousands of characters more than the 256 tokens the built-in expert reads of an input
        String start = "The cat sat on the mat. ";
        String longInput = start.repeat(60) + "Quarterly revenue rose by four percent. ".repeat(200);

        // when
        CreateEmbeddingResponse response = openAi.embeddings().create(EmbeddingCreateParams.builder().model(MINILM)
                .input(longInput).build());

        // then: read from its start, as the model reads it
        CreateEmbeddingResponse startOnly = openAi.embeddings().create(EmbeddingCreateParams.builder().model(MINILM)
                .input(start.repeat(60)).build());
        assertThat(cosine(response.data().getFirst().embedding(), startOnly.data().getFirst().embedding()))
                .isGreaterThan(0.99);
    }

    @Test
    void should_route_every_input_of_a_request_to_the_expert_whose_domains_match() {
        // given: a legal and a programming specialist; the built-in MiniLM expert is the generalist
        Expert legal = embeddingExpert(builder -> builder.model("legal-embed").domains(List.of("law")));
        Expert code = embeddingExpert(builder -> builder.model("code-embed")
                .domains(List.of("cs.programming", "cs.theory", "cs.systems")));

        // when
        HttpResponseFor<CreateEmbeddingResponse> legalAnswer = openAi.embeddings().withRawResponse().create(
                EmbeddingCreateParams.builder().model("consilium/route").inputOfArrayOfStrings(List.of(
                        "Is a verbal contract legally binding under the statute of frauds?",
                        "The tenant sued the landlord for breach of the lease agreement in court.")).build());
        CreateEmbeddingResponse codeAnswer = openAi.embeddings().create(EmbeddingCreateParams.builder()
                .model("consilium/route").inputOfArrayOfStrings(List.of(
                        "How do I fix a NullPointerException in my Java method?",
                        "Write a Python function that reverses a linked list.")).build());
        CreateEmbeddingResponse chatAnswer = openAi.embeddings().create(EmbeddingCreateParams.builder()
                .model("consilium/auto").input("Hi! How was your weekend?").build());

        // then
        assertThat(legalAnswer.headers().values("x-consilium-experts")).containsExactly(legal.id());
        JsonNode legalMetadata = metadata(legalAnswer.parse());
        assertThat(legalMetadata.path("strategy").asString()).isEqualTo("route");
        assertThat(legalMetadata.path("skills").path(0).path("id").asString()).isEqualTo("law");
        assertThat(legalMetadata.path("domain_scores").path(0).path("id").asString()).isEqualTo(legal.id());
        assertThat(legalAnswer.parse().data()).hasSize(2);
        assertThat(metadata(codeAnswer).path("expert").asString()).isEqualTo(code.id());
        assertThat(UPSTREAM.lastReceived().body().path("model").asString()).isEqualTo("code-embed");
        assertThat(UPSTREAM.lastReceived().body().path("input").size()).isEqualTo(2);
        assertThat(metadata(chatAnswer).path("expert").asString()).isEqualTo(MINILM);
        assertThat(chatAnswer.data().getFirst().embedding()).hasSize(384);
        assertThat(UPSTREAM.calls()).isEqualTo(2);
    }

    @Test
    void should_take_embedding_experts_with_domains_through_the_admin_api_and_test_them() {
        // when
        HttpResponse<String> created = postJson("/admin/api/experts", """
                {"id": "admin-embed", "provider": "openai", "base_url": "%s", "model": "text-embedding-fake",
                 "api_key": "sk-admin-embed", "roles": ["embedding"], "domains": ["law", "business.finance"]}"""
                .formatted(UPSTREAM.baseUrl()));
        registered.add("admin-embed");
        HttpResponse<String> tested = postJson("/admin/api/experts/admin-embed/test", "");
        HttpResponse<String> badDomain = postJson("/admin/api/experts", """
                {"id": "admin-embed-2", "provider": "openai", "base_url": "%s", "model": "m",
                 "roles": ["embedding"], "domains": ["cooking"]}""".formatted(UPSTREAM.baseUrl()));
        HttpResponse<String> mixedRoles = postJson("/admin/api/experts", """
                {"id": "admin-embed-3", "provider": "openai", "base_url": "%s", "model": "m",
                 "roles": ["embedding", "expert"]}""".formatted(UPSTREAM.baseUrl()));

        // then
        assertThat(created.statusCode()).as(created.body()).isEqualTo(201);
        assertThat(json(created).path("roles").path(0).asString()).isEqualTo("embedding");
        assertThat(json(created).path("domains")).hasSize(2);
        assertThat(json(tested).path("ok").asBoolean()).as(tested.body()).isTrue();
        assertThat(json(tested).path("reply").asString()).contains("64 dimensions");
        assertThat(UPSTREAM.lastReceived().path()).isEqualTo("/v1/embeddings");
        assertThat(badDomain.statusCode()).isEqualTo(400);
        assertThat(json(badDomain).path("error").path("message").asString()).contains("domains");
        assertThat(mixedRoles.statusCode()).isEqualTo(400);
        assertThat(json(mixedRoles).path("error").path("message").asString()).contains("roles");
    }

    @Test
    void should_list_the_endpoints_each_model_serves() {
        // given
        Expert expert = embeddingExpert(UnaryOperator.identity());

        // when
        JsonNode models = json(send("GET", "/v1/models", null, null)).path("data");

        // then
        Map<String, List<String>> endpoints = new java.util.HashMap<>();
        models.forEach(model -> endpoints.put(model.path("id").asString(),
                model.path("endpoints").valueStream().map(JsonNode::asString).toList()));
        assertThat(endpoints.get(expert.id())).containsExactly("/v1/embeddings");
        assertThat(endpoints.get(MINILM)).containsExactly("/v1/embeddings");
        assertThat(endpoints.get("mock-math")).containsExactly("/v1/chat/completions", "/v1/responses", "/v1/messages");
        assertThat(endpoints.get("consilium/route")).containsExactly("/v1/chat/completions", "/v1/responses", "/v1/messages",
                "/v1/embeddings");
    }
}
