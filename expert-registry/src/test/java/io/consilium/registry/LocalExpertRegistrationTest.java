package io.consilium.registry;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.consilium.registry.testing.ProtoWriter;
import io.consilium.registry.testing.TinyDecoderModels;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Registering local ONNX experts: a usable model directory is accepted without loading it, a bad one names model-path. */
class LocalExpertRegistrationTest {

    @TempDir
    Path dir;

    private final SimpleMeterRegistry meters = new SimpleMeterRegistry();
    private ExpertClients clients = ExpertClients.create(ResilienceSettings.ofDefaults(), meters);

    @AfterEach
    void close() {
        clients.close();
    }

    private ExpertRegistry registry() {
        return new ExpertRegistry(ExpertStores.inMemory(), skill -> true, clients);
    }

    private static Expert local(Path modelPath) {
        return Expert.builder("local").provider(Provider.ONNX).modelPath(modelPath.toString()).build();
    }

    private void assertRefused(Path modelPath, String reason) {
        ExpertRegistry registry = registry();
        assertThatThrownBy(() -> registry.register(local(modelPath)))
                .isInstanceOfSatisfying(InvalidExpertException.class, e -> {
                    assertThat(e.field()).isEqualTo("model-path");
                    assertThat(e.getMessage()).startsWith("expert field 'model-path' ").contains(reason)
                            .endsWith("but was '" + modelPath + "'");
                });
        assertThat(registry.find("local")).isEmpty();
    }

    @Test
    void should_register_a_usable_model_directory_without_loading_the_model() {
        // given
        Path model = TinyDecoderModels.withKvCache(dir.resolve("tiny")).directory();

        // when
        Expert registered = registry().register(local(model));

        // then
        assertThat(clients.supports(Provider.ONNX)).isTrue();
        assertThat(registered.id()).isEqualTo("local");
        assertThat(meters.find("consilium.local.model.loads").counters()).isEmpty();
    }

    @Test
    void should_refuse_naming_model_path_when_the_directory_is_missing() {
        assertRefused(dir.resolve("nowhere"), "is not a usable ONNX model directory: is not a directory");
    }

    @Test
    void should_refuse_naming_model_path_when_there_is_no_model_onnx() throws Exception {
        // given
        Path model = TinyDecoderModels.withKvCache(dir.resolve("tiny")).directory();
        Files.delete(model.resolve("model.onnx"));

        // when / then
        assertRefused(model, "has no model.onnx");
    }

    @Test
    void should_refuse_naming_model_path_when_model_onnx_is_not_an_onnx_model() throws Exception {
        // given
        Path model = TinyDecoderModels.withKvCache(dir.resolve("tiny")).directory();
        Files.writeString(model.resolve("model.onnx"), "not a model");

        // when / then
        assertRefused(model, "model.onnx cannot be read");
    }

    @Test
    void should_refuse_naming_model_path_when_the_tokenizer_cannot_be_read() throws Exception {
        // given
        Path model = TinyDecoderModels.withKvCache(dir.resolve("tiny")).directory();
        Files.writeString(model.resolve("tokenizer.json"), "{\"model\": \"nonsense\"");

        // when / then
        assertRefused(model, "tokenizer.json cannot be loaded");
    }

    @Test
    void should_refuse_naming_model_path_when_there_is_no_chat_template() throws Exception {
        // given
        Path model = TinyDecoderModels.withKvCache(dir.resolve("tiny")).directory();
        Files.writeString(model.resolve("tokenizer_config.json"), "{\"bos_token\": \"<s>\"}");

        // when / then
        assertRefused(model, "no chat template");
    }

    @Test
    void should_refuse_naming_model_path_when_the_chat_template_does_not_parse() throws Exception {
        // given
        Path model = TinyDecoderModels.withKvCache(dir.resolve("tiny")).directory();
        Files.writeString(model.resolve("tokenizer_config.json"), "{\"chat_template\": \"{% for m in messages %}\"}");

        // when / then
        assertRefused(model, "chat template");
    }

    @Test
    void should_refuse_naming_model_path_when_the_model_has_no_input_ids_or_logits() throws Exception {
        // given: a valid ONNX model, but not a decoder
        Path model = TinyDecoderModels.withKvCache(dir.resolve("tiny")).directory();
        Files.write(model.resolve("model.onnx"), identityModel("tokens", "scores"));

        // when / then
        assertRefused(model, "model.onnx has no input 'input_ids'");
        Files.write(model.resolve("model.onnx"), identityModel("input_ids", "scores", "attention_mask"));
        assertRefused(model, "model.onnx has no output 'logits'");
    }

    @Test
    void should_refuse_naming_model_path_when_the_model_is_larger_than_the_memory_budget() {
        // given
        clients.close();
        clients = ExpertClients.create(ResilienceSettings.ofDefaults(), meters, EgressPolicy.ofDefaults(),
                LocalModelSettings.custom().memoryBudgetBytes(1024).build());
        Path model = TinyDecoderModels.withKvCache(dir.resolve("tiny")).directory();

        // when / then
        assertRefused(model, "more than the local model memory budget of 1024 bytes");
    }

    /** An ONNX model whose only node copies an int64 input to an int64 output; other inputs go unused. */
    private static byte[] identityModel(String input, String output, String... unused) {
        ProtoWriter graph = new ProtoWriter().string(2, "identity");
        graph.message(1, new ProtoWriter().string(1, input).string(2, output).string(3, "copy").string(4, "Identity"));
        graph.message(11, int64Value(input));
        for (String name : unused) {
            graph.message(11, int64Value(name));
        }
        graph.message(12, int64Value(output));
        return new ProtoWriter().varint(1, 8).message(7, graph)
                .message(8, new ProtoWriter().string(1, "").varint(2, 14)).toByteArray();
    }

    private static ProtoWriter int64Value(String name) {
        ProtoWriter shape = new ProtoWriter().message(1, new ProtoWriter().string(2, "n"));
        ProtoWriter tensorType = new ProtoWriter().varint(1, 7).message(2, shape);
        return new ProtoWriter().string(1, name).message(2, new ProtoWriter().message(1, tensorType));
    }
}
