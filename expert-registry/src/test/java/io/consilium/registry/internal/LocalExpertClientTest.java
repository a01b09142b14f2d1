package io.consilium.registry.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.consilium.registry.ChatCompletion;
import io.consilium.registry.ChatRequest;
import io.consilium.registry.ChatStream;
import io.consilium.registry.EgressPolicy;
import io.consilium.registry.Expert;
import io.consilium.registry.ExpertClient;
import io.consilium.registry.ExpertClients;
import io.consilium.registry.ExpertRejectedRequestException;
import io.consilium.registry.Limits;
import io.consilium.registry.LocalModelSettings;
import io.consilium.registry.Provider;
import io.consilium.registry.ResilienceSettings;
import io.consilium.registry.Usage;
import io.consilium.registry.testing.ExpertClientContract;
import io.consilium.registry.testing.FakeUpstream;
import io.consilium.registry.testing.TinyDecoderModels;
import io.consilium.registry.testing.TinyDecoderModels.Spec;
import io.consilium.registry.testing.TinyDecoderModels.TinyDecoder;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.function.Consumer;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

/**
 * Local ONNX experts end to end: real ONNX Runtime sessions over the tiny decoder, through the factory. The
 * {@link ExpertClientContract} and what is particular to them.
 */
class LocalExpertClientTest extends ExpertClientContract {

    private static final JsonMapper JSON = JsonMapper.builder().build();
    /** generation_config.json's max_new_tokens of the tiny decoder. */
    private static final int DEFAULT_MAX_TOKENS = 24;
    /** One thread per pass keeps the tests' timings alike on any machine. */
    private static final LocalModelSettings SETTINGS = LocalModelSettings.custom().maxBatchSize(8).intraOpThreads(1).build();
    private static final List<String> QUESTIONS = List.of(
            "hello world",
            "what is the sea",
            "why is the sky blue ?",
            "tell me a story about a cat",
            "fish swim",
            "the dog runs fast and the cat sleeps in the sun all day",
            "rain falls at night",
            "how do birds fly");

    @TempDir
    Path dir;

    private final SimpleMeterRegistry meters = new SimpleMeterRegistry();
    private final List<ExpertClients> opened = new ArrayList<>();
    private @Nullable TinyDecoder contractModel;

    @AfterEach
    void close() {
        opened.forEach(ExpertClients::close);
    }

    private ExpertClient client(TinyDecoder model) {
        return client(model, SETTINGS, null);
    }

    private ExpertClient client(TinyDecoder model, LocalModelSettings settings, @Nullable String systemPrompt) {
        ExpertClients clients = ExpertClients.create(
                ResilienceSettings.ofDefaults(), meters, EgressPolicy.ofDefaults(), settings);
        opened.add(clients);
        Expert expert = expert("tiny", model).systemPrompt(systemPrompt).build();
        clients.check(expert);
        return clients.clientFor(expert);
    }

    private static Expert.Builder expert(String id, TinyDecoder model) {
        return Expert.builder(id).provider(Provider.ONNX).modelPath(model.directory().toString());
    }

    @Override
    protected ExpertClients newClients(ResilienceSettings resilience, MeterRegistry contractMeters) {
        return ExpertClients.create(resilience, contractMeters, EgressPolicy.ofDefaults(), SETTINGS);
    }

    @Override
    protected Expert.Builder contractExpert(String id) {
        if (contractModel == null) {
            contractModel = model(true);
        }
        return expert(id, contractModel);
    }

    /** A local model cannot be made to hang; loading it takes far longer than a millisecond, though. */
    @Override
    protected Expert.Builder stalled(Expert.Builder expert) {
        return expert.limits(new Limits(4, Duration.ofMillis(1), Limits.DEFAULTS.contextTokens()));
    }

    /** A local model calls nobody: it has no HTTP statuses, and closing its stream has no connection to hang up. */
    @Override
    protected Optional<FakeUpstream> httpUpstream() {
        return Optional.empty();
    }

    private TinyDecoder model(boolean kvCache) {
        return kvCache
                ? TinyDecoderModels.withKvCache(dir.resolve("cached"))
                : TinyDecoderModels.withoutKvCache(dir.resolve("uncached"));
    }

    private static ChatRequest ask(String question, Consumer<ObjectNode> options) {
        ObjectNode body = JSON.createObjectNode();
        body.put("model", "tiny");
        body.putArray("messages").addObject().put("role", "user").put("content", question);
        options.accept(body);
        return new ChatRequest(body);
    }

    private static ChatRequest ask(String question) {
        return ask(question, body -> { });
    }

    private static String finishReason(ChatCompletion completion) {
        return completion.body().path("choices").path(0).path("finish_reason").asString();
    }

    /** What the reference forward pass answers, as text, finish reason and token counts. */
    private static Expected reference(TinyDecoder model, String prompt, int maxTokens) {
        long[] promptIds = TinyDecoderModels.encode(prompt);
        long[] answer = model.greedy(promptIds, maxTokens);
        boolean ended = TinyDecoderModels.EOS_IDS.contains(answer[answer.length - 1]);
        return new Expected(TinyDecoderModels.decode(answer), ended ? "stop" : "length",
                new Usage(promptIds.length, answer.length));
    }

    private record Expected(String text, String finishReason, Usage usage) {}

    @ParameterizedTest(name = "kv cache: {0}")
    @ValueSource(booleans = {true, false})
    void should_answer_the_reference_greedy_continuation_when_decoding_greedily(boolean kvCache) {
        // given
        TinyDecoder model = model(kvCache);
        ExpertClient client = client(model);

        for (String question : QUESTIONS) {
            // when
            ChatCompletion completion = client.chat(ask(question));

            // then
            Expected expected = reference(model, TinyDecoderModels.prompt("user", question), DEFAULT_MAX_TOKENS);
            assertThat(completion.text()).as(question).isEqualTo(expected.text());
            assertThat(finishReason(completion)).as(question).isEqualTo(expected.finishReason());
            assertThat(completion.usage()).as(question).isEqualTo(expected.usage());
            assertThat(completion.body().path("object").asString()).isEqualTo("chat.completion");
            assertThat(completion.body().path("choices").path(0).path("message").path("role").asString())
                    .isEqualTo("assistant");
        }
    }

    @Test
    void should_give_different_prompts_different_answers_some_ending_before_the_limit() {
        // given
        ExpertClient client = client(model(true));

        // when
        List<ChatCompletion> answers = QUESTIONS.stream().map(question -> client.chat(ask(question))).toList();

        // then
        assertThat(answers.stream().map(ChatCompletion::text).distinct()).hasSize(QUESTIONS.size());
        assertThat(answers).anySatisfy(answer -> {
            assertThat(finishReason(answer)).isEqualTo("stop");
            assertThat(answer.usage().completionTokens()).isLessThan(DEFAULT_MAX_TOKENS);
        });
        assertThat(answers).anySatisfy(answer -> assertThat(finishReason(answer)).isEqualTo("length"));
    }

    @Test
    void should_give_the_same_answers_with_and_without_the_kv_cache() {
        // given
        ExpertClient cached = client(model(true));
        ExpertClient uncached = client(model(false));

        for (String question : QUESTIONS) {
            // when
            ChatCompletion withCache = cached.chat(ask(question));
            ChatCompletion withoutCache = uncached.chat(ask(question));

            // then
            assertThat(withCache.text()).as(question).isEqualTo(withoutCache.text());
            assertThat(withCache.usage()).as(question).isEqualTo(withoutCache.usage());
        }
    }

    @ParameterizedTest(name = "kv cache: {0}")
    @ValueSource(booleans = {true, false})
    void should_answer_a_batch_exactly_as_each_prompt_alone_when_prompts_differ_in_length(boolean kvCache) {
        // given
        ExpertClient client = client(model(kvCache));
        List<ChatRequest> requests = QUESTIONS.stream().map(LocalExpertClientTest::ask).toList();
        List<ChatCompletion> alone = requests.stream().map(client::chat).toList();

        // when
        List<ChatCompletion> batched = client.chatBatch(requests);

        // then
        assertThat(client.answersInBatches()).isTrue();
        assertThat(batched).hasSize(alone.size());
        for (int i = 0; i < alone.size(); i++) {
            assertThat(batched.get(i).text()).as(QUESTIONS.get(i)).isEqualTo(alone.get(i).text());
            assertThat(batched.get(i).usage()).as(QUESTIONS.get(i)).isEqualTo(alone.get(i).usage());
            assertThat(finishReason(batched.get(i))).as(QUESTIONS.get(i)).isEqualTo(finishReason(alone.get(i)));
        }
    }

    @Test
    void should_split_a_batch_larger_than_the_max_batch_size_and_keep_the_order() {
        // given
        TinyDecoder model = model(true);
        ExpertClient client = client(model, LocalModelSettings.custom().maxBatchSize(3).intraOpThreads(1).build(), null);
        List<ChatRequest> requests = QUESTIONS.stream().map(LocalExpertClientTest::ask).toList();

        // when
        List<ChatCompletion> batched = client.chatBatch(requests);

        // then
        assertThat(batched.stream().map(ChatCompletion::text).toList()).containsExactlyElementsOf(QUESTIONS.stream()
                .map(question -> reference(model, TinyDecoderModels.prompt("user", question), DEFAULT_MAX_TOKENS).text())
                .toList());
    }

    @Test
    void should_answer_as_the_reference_when_the_model_takes_no_position_ids() {
        // given
        TinyDecoder model = TinyDecoderModels.write(dir.resolve("no-positions"),
                Spec.withKvCache(TinyDecoderModels.DEFAULT_SEED).withoutPositionIds());
        ExpertClient client = client(model);
        List<ChatRequest> requests = QUESTIONS.stream().map(LocalExpertClientTest::ask).toList();

        // when
        List<ChatCompletion> batched = client.chatBatch(requests);

        // then
        for (int i = 0; i < QUESTIONS.size(); i++) {
            Expected expected = reference(model, TinyDecoderModels.prompt("user", QUESTIONS.get(i)), DEFAULT_MAX_TOKENS);
            assertThat(batched.get(i).text()).as(QUESTIONS.get(i)).isEqualTo(expected.text());
        }
    }

    @Test
    void should_render_the_expert_system_prompt_first_when_the_expert_has_one() {
        // given
        TinyDecoder model = model(true);
        ExpertClient client = client(model, LocalModelSettings.ofDefaults(), "you are helpful");

        // when
        ChatCompletion completion = client.chat(ask("what is the sea"));
        List<ChatCompletion> batched = client.chatBatch(List.of(ask("what is the sea")));

        // then
        Expected expected = reference(model,
                TinyDecoderModels.prompt("system", "you are helpful", "user", "what is the sea"), DEFAULT_MAX_TOKENS);
        assertThat(completion.text()).isEqualTo(expected.text());
        assertThat(completion.usage()).isEqualTo(expected.usage());
        assertThat(batched.getFirst().text()).isEqualTo(expected.text());
    }

    @ParameterizedTest(name = "kv cache: {0}")
    @ValueSource(booleans = {true, false})
    void should_finish_with_length_when_max_tokens_is_reached(boolean kvCache) {
        // given
        TinyDecoder model = model(kvCache);
        ExpertClient client = client(model);
        String question = "tell me a story about a cat";

        // when
        ChatCompletion short3 = client.chat(ask(question, body -> body.put("max_tokens", 3)));
        ChatCompletion preferred = client.chat(ask(question, body -> body.put("max_tokens", 3).put("max_completion_tokens", 5)));

        // then
        assertThat(short3.text()).isEqualTo(reference(model, TinyDecoderModels.prompt("user", question), 3).text());
        assertThat(short3.usage().completionTokens()).isEqualTo(3);
        assertThat(finishReason(short3)).isEqualTo("length");
        assertThat(preferred.usage().completionTokens()).isEqualTo(5);
        assertThat(finishReason(preferred)).isEqualTo("length");
    }

    @Test
    void should_cut_the_answer_before_a_stop_sequence_and_finish_with_stop() {
        // given
        TinyDecoder model = model(true);
        ExpertClient client = client(model);
        String question = "tell me a story about a cat";
        String full = client.chat(ask(question)).text();
        String[] words = full.split(" ");
        String stop = words[3] + " " + words[4]; // spans two tokens
        int cut = full.indexOf(stop);

        // when
        ChatCompletion completion = client.chat(ask(question, body -> body.putArray("stop").add("never said").add(stop)));
        ChatCompletion single = client.chat(ask(question, body -> body.put("stop", words[1])));

        // then
        assertThat(completion.text()).isEqualTo(full.substring(0, cut));
        assertThat(finishReason(completion)).isEqualTo("stop");
        assertThat(completion.usage().completionTokens()).isEqualTo(5);
        assertThat(single.text()).isEqualTo(full.substring(0, full.indexOf(words[1])));
        assertThat(finishReason(single)).isEqualTo("stop");
    }

    @Test
    void should_stop_at_the_context_window_when_the_prompt_nearly_fills_it() {
        // given
        TinyDecoder model = model(true);
        ExpertClient client = client(model);
        String longQuestion = "the cat sleeps ".repeat(28).strip(); // 84 words; the template adds 4 tokens
        int promptTokens = TinyDecoderModels.encode(TinyDecoderModels.prompt("user", longQuestion)).length;

        // when
        ChatCompletion completion = client.chat(ask(longQuestion, body -> body.put("max_tokens", 50)));

        // then
        assertThat(promptTokens).isEqualTo(88);
        assertThat(completion.usage().promptTokens()).isEqualTo(88);
        assertThat(completion.usage().completionTokens()).isLessThanOrEqualTo(TinyDecoderModels.MAX_POSITIONS - 88);
        assertThat(completion.text()).isEqualTo(reference(model, TinyDecoderModels.prompt("user", longQuestion),
                TinyDecoderModels.MAX_POSITIONS - 88).text());
    }

    @Test
    void should_reject_with_400_when_the_prompt_does_not_fit_or_a_parameter_is_wrong() {
        // given
        ExpertClient client = client(model(true));
        String tooLong = "the cat sleeps ".repeat(40).strip();

        // when / then
        assertThatThrownBy(() -> client.chat(ask(tooLong)))
                .isInstanceOfSatisfying(ExpertRejectedRequestException.class, e -> {
                    assertThat(e.status()).isEqualTo(400);
                    assertThat(e.getMessage()).contains("leaves no room in the context window of 96 tokens");
                });
        assertThatThrownBy(() -> client.chat(ask("hello", body -> body.put("temperature", 3))))
                .isInstanceOfSatisfying(ExpertRejectedRequestException.class,
                        e -> assertThat(e.getMessage()).contains("temperature must be between 0 and 2, but was 3.0"));
        assertThatThrownBy(() -> client.chat(ask("hello", body -> body.put("n", 2))))
                .isInstanceOfSatisfying(ExpertRejectedRequestException.class,
                        e -> assertThat(e.getMessage()).contains("n must be 1"));
    }

    @Test
    void should_reproduce_a_sample_with_a_seed_and_vary_across_seeds() {
        // given
        ExpertClient client = client(model(true));
        Consumer<ObjectNode> sampled = body -> body.put("temperature", 1.2).put("top_p", 0.95).put("top_k", 20);

        // when
        ChatCompletion first = client.chat(ask("hello world", sampled.andThen(body -> body.put("seed", 42))));
        ChatCompletion again = client.chat(ask("hello world", sampled.andThen(body -> body.put("seed", 42))));
        Set<String> acrossSeeds = new HashSet<>();
        for (int seed = 1; seed <= 6; seed++) {
            int chosen = seed;
            acrossSeeds.add(client.chat(ask("hello world", sampled.andThen(body -> body.put("seed", chosen)))).text());
        }

        // then
        assertThat(again.text()).isEqualTo(first.text());
        assertThat(again.usage()).isEqualTo(first.usage());
        assertThat(acrossSeeds).hasSizeGreaterThan(1);
    }

    @Test
    void should_sample_the_same_in_a_batch_as_alone_when_seeded() {
        // given
        ExpertClient client = client(model(true));
        List<ChatRequest> requests = new ArrayList<>();
        for (int i = 0; i < QUESTIONS.size(); i++) {
            int seed = 100 + i;
            requests.add(ask(QUESTIONS.get(i), body -> body.put("temperature", 0.9).put("seed", seed)));
        }

        // when
        List<ChatCompletion> batched = client.chatBatch(requests);

        // then
        for (int i = 0; i < requests.size(); i++) {
            assertThat(batched.get(i).text()).isEqualTo(client.chat(requests.get(i)).text());
        }
    }

    @ParameterizedTest(name = "kv cache: {0}")
    @ValueSource(booleans = {true, false})
    void should_stream_the_same_text_as_the_whole_answer_token_by_token(boolean kvCache) {
        // given
        ExpertClient client = client(model(kvCache));
        String question = "tell me a story about a cat";
        ChatCompletion whole = client.chat(ask(question));

        // when
        List<ObjectNode> chunks = readAll(client.stream(ask(question,
                body -> body.put("stream", true).putObject("stream_options").put("include_usage", true))));

        // then
        assertThat(chunks.getFirst().path("choices").path(0).path("delta").path("role").asString()).isEqualTo("assistant");
        StringBuilder text = new StringBuilder();
        int contentChunks = 0;
        for (ObjectNode chunk : chunks) {
            assertThat(chunk.path("object").asString()).isEqualTo("chat.completion.chunk");
            String content = chunk.path("choices").path(0).path("delta").path("content").asString("");
            text.append(content);
            contentChunks += content.isEmpty() ? 0 : 1;
        }
        assertThat(text.toString()).isEqualTo(whole.text());
        assertThat(contentChunks).isEqualTo(whole.usage().completionTokens() - 1); // every word but the final </s>
        ObjectNode last = chunks.get(chunks.size() - 2);
        assertThat(last.path("choices").path(0).path("finish_reason").asString()).isEqualTo(finishReason(whole));
        assertThat(Usage.from(chunks.getLast().path("usage"))).isEqualTo(whole.usage());
        assertThat(chunks.getLast().path("choices")).isEmpty();
    }

    @Test
    void should_never_stream_part_of_a_stop_sequence() {
        // given
        ExpertClient client = client(model(true));
        String question = "tell me a story about a cat";
        String full = client.chat(ask(question)).text();
        String[] words = full.split(" ");
        String stop = words[5] + " " + words[6] + " " + words[7];
        Consumer<ObjectNode> options = body -> body.put("stop", stop);
        ChatCompletion whole = client.chat(ask(question, options));

        // when
        List<ObjectNode> chunks = readAll(client.stream(ask(question, options)));

        // then
        StringBuilder text = new StringBuilder();
        chunks.forEach(chunk -> text.append(chunk.path("choices").path(0).path("delta").path("content").asString("")));
        assertThat(text.toString()).isEqualTo(whole.text()).isEqualTo(full.substring(0, full.indexOf(stop)));
        // the usage chunk comes last (every expert is asked for usage in streams), the finish reason just before it
        assertThat(chunks.getLast().path("usage").isObject()).isTrue();
        assertThat(chunks.get(chunks.size() - 2).path("choices").path(0).path("finish_reason").asString()).isEqualTo("stop");
    }

    @Test
    void should_give_the_model_back_when_a_stream_is_closed_before_its_end() throws Exception {
        // given: room for one model only, so the second expert's model can load only once the first is idle
        TinyDecoder first = model(true);
        TinyDecoder second = TinyDecoderModels.write(dir.resolve("second"), Spec.withKvCache(11));
        long modelBytes = Files.size(first.directory().resolve("model.onnx"));
        ExpertClients clients = ExpertClients.create(ResilienceSettings.ofDefaults(), meters, EgressPolicy.ofDefaults(),
                LocalModelSettings.custom().memoryBudgetBytes(modelBytes * 3 / 2).build());
        opened.add(clients);
        Limits limits = new Limits(4, Duration.ofSeconds(5), 4096);
        ExpertClient streaming = clients.clientFor(Expert.builder("first").provider(Provider.ONNX)
                .modelPath(first.directory().toString()).limits(limits).build());
        ExpertClient other = clients.clientFor(Expert.builder("second").provider(Provider.ONNX)
                .modelPath(second.directory().toString()).limits(limits).build());

        // when
        try (ChatStream stream = streaming.stream(ask("tell me a story about a cat"))) {
            assertThat(stream.next()).isPresent();
            assertThat(stream.next()).isPresent();
        }
        ChatCompletion answer = other.chat(ask("hello world"));

        // then
        assertThat(answer.text()).isNotEmpty();
        assertThat(meters.get("consilium.local.model.evictions").tag("expert", "first").counter().count()).isEqualTo(1);
    }

    private static List<ObjectNode> readAll(ChatStream stream) {
        List<ObjectNode> chunks = new ArrayList<>();
        try (stream) {
            for (Optional<ObjectNode> next = stream.next(); next.isPresent(); next = stream.next()) {
                chunks.add(next.get());
            }
        }
        return chunks;
    }
}
