package io.consilium.registry;

import java.util.Arrays;
import java.util.Locale;
import java.util.Optional;

/** How an expert is reached. */
public enum Provider {
    /** Any OpenAI-compatible chat completions endpoint (OpenAI, vLLM, Ollama's /v1, TGI, LM Studio). */
    OPENAI("openai", true),
    /** Anthropic's Messages API, through Spring AI's Anthropic chat model. */
    ANTHROPIC("anthropic", true),
    /** Ollama; reached through its OpenAI-compatible endpoint. */
    OLLAMA("ollama", true),
    /** A local ONNX generative model run inside the service. */
    ONNX("onnx", false),
    /** A deterministic stand-in for demos and load tests; every answer says it is a mock. */
    MOCK("mock", false),
    /**
     * A model that ships inside the service and needs no files: today the all-MiniLM-L6-v2 sentence encoder,
     * named by {@code model}, for embeddings.
     */
    BUILTIN("builtin", false);

    private final String id;
    private final boolean remote;

    Provider(String id, boolean remote) {
        this.id = id;
        this.remote = remote;
    }

    /** The name used in configuration and the API. */
    public String id() {
        return id;
    }

    /** Whether the expert lives behind a URL (and so needs {@code base-url} and {@code model}). */
    public boolean isRemote() {
        return remote;
    }

    /** Whether experts of this provider can serve embeddings ({@link Role#EMBEDDING}). */
    public boolean servesEmbeddings() {
        return this == OPENAI || this == OLLAMA || this == BUILTIN;
    }

    public static Optional<Provider> fromId(String id) {
        String wanted = id.trim().toLowerCase(Locale.ROOT);
        return Arrays.stream(values()).filter(p -> p.id.equals(wanted)).findFirst();
    }

    @Override
    public String toString() {
        return id;
    }
}
