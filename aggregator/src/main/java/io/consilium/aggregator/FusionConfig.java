package io.consilium.aggregator;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * What fusion needs to know besides the answers: the instructions an aggregator synthesises with, which
 * fields of the client's request reach the aggregator, and whether a streamed synthesis asks for usage.
 * Immutable; build with {@link #custom()}.
 */
public final class FusionConfig {

    /** The generation limits a client set for its answer bind the aggregator that writes it too. */
    public static final List<String> DEFAULT_COPIED_FIELDS = List.of("temperature", "max_tokens", "max_completion_tokens");

    /** Fields the synthesis request writes itself; copying the client's would replace what it asks. */
    private static final Set<String> WRITTEN_BY_SYNTHESIS = Set.of("messages", "model", "stream", "stream_options");
    private static final Pattern FIELD_NAME = Pattern.compile("[A-Za-z0-9_]+");
    private static final String DEFAULT_INSTRUCTIONS_RESOURCE = "synthesis-prompt.txt";

    private final String synthesisInstructions;
    private final List<String> copiedFields;
    private final boolean streamUsage;

    private FusionConfig(Builder b) {
        this.synthesisInstructions = b.synthesisInstructions;
        this.copiedFields = b.copiedFields;
        this.streamUsage = b.streamUsage;
    }

    public static FusionConfig ofDefaults() {
        return custom().build();
    }

    public static Builder custom() {
        return new Builder();
    }

    /** A builder that starts from another config's values. */
    public static Builder from(FusionConfig base) {
        return new Builder()
                .synthesisInstructions(base.synthesisInstructions)
                .copiedFields(base.copiedFields)
                .streamUsage(base.streamUsage);
    }

    /** The aggregator's instructions, sent as the system message of every synthesis; stripped. */
    public String synthesisInstructions() {
        return synthesisInstructions;
    }

    /**
     * Top-level fields of the client's request copied into the synthesis request when present. The fields that
     * set the answer's form ({@code tools}, {@code tool_choice}, {@code parallel_tool_calls},
     * {@code response_format}) are copied besides these, always.
     */
    public List<String> copiedFields() {
        return copiedFields;
    }

    /** Whether a streamed synthesis asks the aggregator to report its usage in a last chunk. */
    public boolean streamUsage() {
        return streamUsage;
    }

    /** Validating builder; every setter rejects a bad value with a message that names it. */
    public static final class Builder {

        private String synthesisInstructions = DefaultInstructions.TEXT;
        private List<String> copiedFields = DEFAULT_COPIED_FIELDS;
        private boolean streamUsage = true;

        private Builder() {}

        public Builder synthesisInstructions(String instructions) {
            if (instructions.isBlank()) {
                throw new IllegalArgumentException(
                        "synthesisInstructions must not be blank, but was '" + instructions + "'");
            }
            this.synthesisInstructions = instructions.strip();
            return this;
        }

        public Builder copiedFields(List<String> fields) {
            Set<String> seen = new HashSet<>();
            for (String field : fields) {
                if (!FIELD_NAME.matcher(field).matches()) {
                    throw new IllegalArgumentException("copiedFields must hold request field names (letters, digits, "
                            + "'_'), but held '" + field + "' in " + fields);
                }
                if (WRITTEN_BY_SYNTHESIS.contains(field)) {
                    throw new IllegalArgumentException("copiedFields must not hold a field the synthesis request "
                            + "writes itself " + WRITTEN_BY_SYNTHESIS + ", but held '" + field + "' in " + fields);
                }
                if (!seen.add(field)) {
                    throw new IllegalArgumentException(
                            "copiedFields must not repeat a field, but held '" + field + "' twice in " + fields);
                }
            }
            this.copiedFields = List.copyOf(fields);
            return this;
        }

        public Builder streamUsage(boolean askForUsage) {
            this.streamUsage = askForUsage;
            return this;
        }

        public FusionConfig build() {
            return new FusionConfig(this);
        }
    }

    /** The instructions shipped with the module, read once, when first needed. */
    private static final class DefaultInstructions {

        static final String TEXT = read();

        private static String read() {
            try (InputStream in = FusionConfig.class.getResourceAsStream(DEFAULT_INSTRUCTIONS_RESOURCE)) {
                if (in == null) {
                    throw new IllegalStateException("missing resource " + DEFAULT_INSTRUCTIONS_RESOURCE);
                }
                return new String(in.readAllBytes(), StandardCharsets.UTF_8).strip();
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
    }
}
