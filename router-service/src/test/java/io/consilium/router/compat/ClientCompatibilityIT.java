package io.consilium.router.compat;

import static org.assertj.core.api.Assertions.assertThat;

import io.consilium.registry.Expert;
import io.consilium.registry.ExpertRegistry;
import io.consilium.registry.Provider;
import io.consilium.registry.testing.FakeOpenAiUpstream;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.annotation.DirtiesContext;

/**
 * The npm clients that applications use (openai, the AI SDK with {@code @ai-sdk/openai}, LangChain's
 * {@code @langchain/openai}, and {@code @anthropic-ai/sdk} on {@code /v1/messages}) against the service, through {@code src/test/node/compat.mjs}: for each client, model
 * and feature (chat, stream, tool round trip, JSON mode and structured output, {@code n}, a wrong key, an unknown
 * model, and the Responses API plain, streamed and with a tool round trip) one case, and for embedding models (embeddings as floats and base64, the AI SDK's {@code embed} and
 * {@code embedMany}, LangChain's {@code OpenAIEmbeddings}, a chat model asked for embeddings) one case each, held to
 * the service's documented contract. Two targets, both on one service of this class's own: the embedded defaults
 * (the mock experts and the built-in MiniLM embedding expert of {@code application.yaml}), and, with those disabled,
 * two chat experts and an embedding expert on a real HTTP upstream that follows the OpenAI contract, so that the
 * virtual models can route to nothing else.
 *
 * <p>Not on {@link io.consilium.router.RunningService}: the integration tests before this one leave their experts
 * in that shared service (with measured profiles, one as the best aggregator, some on upstreams already stopped),
 * so what {@code consilium/route} and {@code consilium/auto} chose there would depend on the order tests ran in.
 *
 * <p>Needs Node.js 20+ and the clients installed by {@value NodeClientSuite#INSTALL} (done by {@code .ci/run}).
 * Each target prints a client × feature × model table to the test output.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
        properties = "consilium.auth.admin-key=" + ClientCompatibilityIT.ADMIN_KEY)
@DirtiesContext
class ClientCompatibilityIT {

    static final String ADMIN_KEY = "compat-admin-key";
    private static final Set<String> EMBEDDED_EXPERTS = Set.of("mock-code", "mock-generalist", "mock-math", "mock-science",
            "all-minilm-l6-v2");
    private static final Set<String> UPSTREAM_EXPERTS = Set.of("contract-upstream-a", "contract-upstream-b",
            "contract-embeddings");
    private static final List<String> VIRTUAL_MODELS = List.of("consilium/route", "consilium/auto");
    /** Streams arrive in several chunks this far apart, as from a model generating tokens. */
    private static final Duration PACE = Duration.ofMillis(5);

    private static FakeOpenAiUpstream upstream;
    private static NodeClientSuite suite;

    @LocalServerPort
    private int port;

    @Autowired
    private ExpertRegistry registry;

    @BeforeAll
    static void setUp() {
        suite = NodeClientSuite.locate();
        upstream = FakeOpenAiUpstream.startHonouringContract(PACE);
    }

    @AfterAll
    static void stopUpstream() {
        if (upstream != null) {
            upstream.close();
        }
    }

    @Test
    void should_serve_every_client_on_the_embedded_defaults() {
        // given
        onlyEnabled(EMBEDDED_EXPERTS);

        // when
        NodeClientSuite.Results results = run("embedded-defaults", "mock-generalist", "all-minilm-l6-v2");

        // then
        assertAllPassed("embedded defaults (mock experts)", results);
    }

    @Test
    void should_serve_every_client_through_an_upstream_that_follows_the_openai_contract() {
        // given
        registerUpstreamExperts();
        onlyEnabled(UPSTREAM_EXPERTS);

        // when
        NodeClientSuite.Results results = run("contract-upstream", "contract-upstream-a", "contract-embeddings");

        // then
        assertAllPassed("fake OpenAI upstream (contract mode)", results);
        assertThat(upstream.calls()).as("the virtual models reached the upstream").isPositive();
    }

    /** The chat cases for the chat expert and the virtual models, the embeddings cases for the embedding expert and route. */
    private NodeClientSuite.Results run(String name, String expertId, String embeddingExpertId) {
        List<String> models = new ArrayList<>(List.of(expertId));
        models.addAll(VIRTUAL_MODELS);
        return suite.run(name, "http://127.0.0.1:" + port + "/v1", ADMIN_KEY, models,
                List.of(embeddingExpertId, "consilium/route"));
    }

    /** Enables exactly these experts, so that the virtual models can route to nothing else. */
    private void onlyEnabled(Set<String> ids) {
        for (Expert expert : registry.all()) {
            if (expert.enabled() != ids.contains(expert.id())) {
                registry.replace(expert.toBuilder().enabled(ids.contains(expert.id())).build());
            }
        }
        assertThat(registry.enabled()).extracting(Expert::id).containsExactlyInAnyOrderElementsOf(ids);
    }

    /** Two experts on the one upstream, so that {@code consilium/auto} has answers to fuse; the first also aggregates. */
    private void registerUpstreamExperts() {
        if (registry.find("contract-upstream-a").isPresent()) {
            return;
        }
        registry.register(Expert.builder("contract-upstream-a").provider(Provider.OPENAI).baseUrl(upstream.baseUrl())
                .model("upstream-model-a").apiKey("sk-contract-upstream").roleIds(List.of("expert", "aggregator"))
                .skills(List.of("general.chat", "language.writing", "reasoning.logic")).build());
        registry.register(Expert.builder("contract-upstream-b").provider(Provider.OPENAI).baseUrl(upstream.baseUrl())
                .model("upstream-model-b").apiKey("sk-contract-upstream").roleIds(List.of("expert"))
                .skills(List.of("general.chat", "science.earth")).build());
        registry.register(Expert.builder("contract-embeddings").provider(Provider.OPENAI).baseUrl(upstream.baseUrl())
                .model("text-embedding-contract").apiKey("sk-contract-upstream").roleIds(List.of("embedding")).build());
    }

    /** Prints the table; fails naming every failed case (their details are in the table's output above). */
    private static void assertAllPassed(String target, NodeClientSuite.Results results) {
        System.out.println(results.table("Client compatibility, " + target));
        assertThat(results.cases()).as("cases run").isNotEmpty();
        List<NodeClientSuite.Case> failures = results.failures();
        if (!failures.isEmpty() || !results.aborted().isEmpty()) {
            throw new AssertionError(failures.size() + " of " + results.cases().size() + " client cases failed on "
                    + target + (results.aborted().isEmpty() ? "" : " (run cut short: " + results.aborted() + ")") + ":\n  "
                    + failures.stream().map(NodeClientSuite.Case::name).collect(Collectors.joining("\n  ")));
        }
    }
}
