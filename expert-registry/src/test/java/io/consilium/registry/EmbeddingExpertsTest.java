package io.consilium.registry;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.consilium.registry.testing.FakeOpenAiUpstream;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

/**
 * Embedding experts through the clients every caller gets: a remote OpenAI-compatible {@code /embeddings} on a
 * real HTTP fake upstream, and a built-in model; what the definition of one may and may not say.
 */
class EmbeddingExpertsTest {

    private static final JsonMapper JSON = JsonMapper.builder().build();

    private final SimpleMeterRegistry meters = new SimpleMeterRegistry();
    private final AtomicInteger builtinCalls = new AtomicInteger();
    private final BuiltinModels builtins = BuiltinModels.of(Map.of("unit-3d", (Supplier<BuiltinEmbedder>) () ->
            new BuiltinEmbedder() {
                @Override
                public int dimensions() {
                    return 3;
                }

                @Override
                public int maxInputTokens() {
                    return 16;
                }

                @Override
                public Embeddings embed(List<String> texts) {
                    builtinCalls.incrementAndGet();
                    return new Embeddings(texts.stream().map(text -> new float[] {1, 0, 0}).toList(),
                            new Usage(texts.size() * 2L, 0));
                }
            }));
    private FakeOpenAiUpstream upstream;
    private ExpertClients clients;
    private ExpertRegistry registry;

    @BeforeEach
    void start() {
        upstream = FakeOpenAiUpstream.start();
        clients = ExpertClients.create(ResilienceSettings.ofDefaults(), meters, EgressPolicy.ofDefaults(),
                LocalModelSettings.ofDefaults(), UpstreamHttpSettings.ofDefaults(), builtins);
        registry = new ExpertRegistry(ExpertStores.inMemory(), skill -> skill.startsWith("math.") || skill.equals("law"),
                clients);
    }

    @AfterEach
    void stop() {
        clients.close();
        upstream.close();
    }

    private Expert remote(String id) {
        return registry.register(Expert.builder(id).provider(Provider.OPENAI).baseUrl(upstream.baseUrl())
                .model("text-embedding-fake").apiKey("sk-embed").roleIds(List.of("embedding")).build());
    }

    private static EmbeddingRequest request(String json) {
        return new EmbeddingRequest((ObjectNode) JSON.readTree(json));
    }

    @Test
    void should_forward_to_the_embeddings_endpoint_with_the_experts_model_and_key() {
        // given
        Expert expert = remote("embedder");

        // when
        Embeddings answer = registry.clientFor(expert).embed(request("""
                {"model": "embedder", "input": ["one two", "three"], "user": "u-1", "consilium": {"k": 1}}"""));

        // then
        assertThat(answer.vectors()).hasSize(2);
        assertThat(answer.dimensions()).isEqualTo(FakeOpenAiUpstream.Reply.EMBEDDING_DIMENSIONS);
        assertThat(answer.usage().promptTokens()).isEqualTo(3);
        FakeOpenAiUpstream.Received sent = upstream.lastReceived();
        assertThat(sent.path()).isEqualTo("/v1/embeddings");
        assertThat(sent.headers()).containsEntry("authorization", "Bearer sk-embed");
        assertThat(sent.body().path("model").asString()).isEqualTo("text-embedding-fake");
        assertThat(sent.body().path("user").asString()).isEqualTo("u-1");
        assertThat(sent.body().has("consilium")).isFalse();
        assertThat(meters.find(ExpertCallMeters.CALLS).tag(ExpertCallMeters.MODE, "embed")
                .tag(ExpertCallMeters.OUTCOME, "ok").timer().count()).isEqualTo(1);
    }

    @Test
    void should_read_base64_vectors_as_the_same_floats() {
        // given
        Expert expert = remote("embedder");
        ExpertClient client = registry.clientFor(expert);

        // when
        Embeddings floats = client.embed(request("""
                {"model": "embedder", "input": "same text", "dimensions": 8}"""));
        Embeddings base64 = client.embed(request("""
                {"model": "embedder", "input": "same text", "dimensions": 8, "encoding_format": "base64"}"""));

        // then
        assertThat(base64.dimensions()).isEqualTo(8);
        assertThat(base64.vectors().getFirst()).containsExactly(floats.vectors().getFirst());
    }

    @Test
    void should_pass_token_ids_to_a_remote_expert() {
        // given
        Expert expert = remote("embedder");

        // when
        Embeddings answer = registry.clientFor(expert).embed(request("""
                {"model": "embedder", "input": [[1, 2, 3], [4, 5]]}"""));

        // then
        assertThat(answer.vectors()).hasSize(2);
        assertThat(answer.usage().promptTokens()).isEqualTo(5);
    }

    @Test
    void should_turn_an_upstream_400_into_a_rejected_request() {
        // given
        Expert expert = remote("embedder");

        // when / then
        assertThatThrownBy(() -> registry.clientFor(expert).embed(request("""
                {"model": "embedder", "input": "x", "dimensions": 4096}""")))
                .isInstanceOf(ExpertRejectedRequestException.class)
                .hasMessageContaining("dimensions");
    }

    @Test
    void should_embed_with_a_builtin_model_and_refuse_what_it_cannot_do_naming_the_field() {
        // given
        Expert expert = registry.register(Expert.builder("local").provider(Provider.BUILTIN).model("unit-3d")
                .roleIds(List.of("embedding")).build());
        ExpertClient client = registry.clientFor(expert);

        // when
        Embeddings answer = client.embed(request("""
                {"model": "local", "input": ["a", "b"], "dimensions": 3}"""));

        // then
        assertThat(answer.vectors()).hasSize(2);
        assertThat(answer.usage().promptTokens()).isEqualTo(4);
        assertThatThrownBy(() -> client.embed(request("""
                {"model": "local", "input": "a", "dimensions": 2}""")))
                .isInstanceOfSatisfying(ExpertRejectedRequestException.class,
                        rejected -> assertThat(rejected.param()).isEqualTo("dimensions"));
        assertThatThrownBy(() -> client.embed(request("""
                {"model": "local", "input": [1, 2, 3]}""")))
                .isInstanceOfSatisfying(ExpertRejectedRequestException.class,
                        rejected -> assertThat(rejected.param()).isEqualTo("input"));
        assertThat(builtinCalls).hasValue(1);
    }

    @Test
    void should_refuse_a_builtin_model_this_service_does_not_ship() {
        Expert unknown = Expert.builder("local").provider(Provider.BUILTIN).model("no-such-model")
                .roleIds(List.of("embedding")).build();

        assertThatThrownBy(() -> registry.register(unknown))
                .isInstanceOfSatisfying(InvalidExpertException.class, e -> assertThat(e.field()).isEqualTo("model"))
                .hasMessageContaining("unit-3d");
    }

    @Test
    void should_keep_the_embedding_role_alone_and_on_providers_that_serve_embeddings() {
        assertThatThrownBy(() -> Expert.builder("x").provider(Provider.OPENAI).baseUrl("http://h/v1").model("m")
                .roleIds(List.of("embedding", "expert")).build())
                .isInstanceOfSatisfying(InvalidExpertException.class, e -> assertThat(e.field()).isEqualTo("roles"));
        assertThatThrownBy(() -> Expert.builder("x").provider(Provider.MOCK).roleIds(List.of("embedding")).build())
                .isInstanceOfSatisfying(InvalidExpertException.class, e -> assertThat(e.field()).isEqualTo("roles"));
        assertThatThrownBy(() -> Expert.builder("x").provider(Provider.BUILTIN).model("unit-3d").build())
                .isInstanceOfSatisfying(InvalidExpertException.class, e -> assertThat(e.field()).isEqualTo("roles"));
    }

    @Test
    void should_accept_domains_of_the_taxonomy_on_embedding_experts_only() {
        Expert.Builder legal = Expert.builder("legal").provider(Provider.OPENAI).baseUrl(upstream.baseUrl())
                .model("m").roleIds(List.of("embedding"));

        assertThat(registry.register(legal.domains(List.of("Law", "law")).build()).domains()).containsExactly("law");
        assertThatThrownBy(() -> registry.register(legal.domains(List.of("cooking")).build()))
                .isInstanceOfSatisfying(InvalidExpertException.class, e -> assertThat(e.field()).isEqualTo("domains"));
        assertThatThrownBy(() -> Expert.builder("chat").provider(Provider.MOCK).domains(List.of("law")).build())
                .isInstanceOfSatisfying(InvalidExpertException.class, e -> assertThat(e.field()).isEqualTo("domains"));
    }

    @Test
    void should_leave_chat_experts_without_embeddings() {
        Expert chat = registry.register(Expert.builder("chat").provider(Provider.MOCK).build());

        assertThatThrownBy(() -> registry.clientFor(chat).embed(request("""
                {"model": "chat", "input": "a"}""")))
                .isInstanceOf(UnsupportedOperationException.class);
    }
}
