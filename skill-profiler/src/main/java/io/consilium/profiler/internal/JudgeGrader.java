package io.consilium.profiler.internal;

import io.consilium.aggregator.AnswerExtraction;
import io.consilium.profiler.Grade;
import io.consilium.profiler.Grader;
import io.consilium.profiler.ProfilingItem;
import io.consilium.registry.ChatRequest;
import io.consilium.registry.ExpertClient;
import io.consilium.registry.ExpertProtocolException;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import tools.jackson.databind.node.JsonNodeFactory;
import tools.jackson.databind.node.ObjectNode;

/**
 * Asks an expert with the judge role whether the response is correct, given the question and the
 * reference answer or guidance. The judge must reply CORRECT or INCORRECT; anything else is the judge's
 * failure ({@link ExpertProtocolException}), not a wrong answer. An empty response is wrong without a
 * call.
 */
public final class JudgeGrader implements Grader {

    private static final String TEMPLATE = template("/io/consilium/profiler/judge-prompt.txt");
    private static final Pattern PLACEHOLDER = Pattern.compile("\\{\\{(question|reference|response)}}");
    /** A closing tag inside graded material would let it pose as the prompt's own text. */
    private static final Pattern CLOSING_TAG = Pattern.compile("(?i)</(question|reference|candidate_response)>");
    // Negative forms first: "not correct" and "incorrect" both contain "correct".
    private static final Pattern INCORRECT = Pattern.compile("(?i)\\b(?:incorrect|not\\s+correct|wrong)\\b");
    private static final Pattern CORRECT = Pattern.compile("(?i)\\bcorrect\\b");
    private static final int MAX_TOKENS = 8;
    private static final int MAX_QUOTED_REPLY = 80;

    private final ExpertClient judge;

    public JudgeGrader(ExpertClient judge) {
        this.judge = judge;
    }

    /**
     * @throws io.consilium.registry.ExpertException when the judge fails or replies with something other
     *     than a verdict
     */
    @Override
    public Grade grade(ProfilingItem item, String response) {
        // The judge sees what a user would see, not the reasoning before </think>.
        String answer = AnswerExtraction.withoutReasoning(response).strip();
        if (answer.isEmpty()) {
            return Grade.wrong(null);
        }
        String reply = judge.chat(request(prompt(item.question(), item.answer(), answer))).text();
        return verdict(reply) ? Grade.right(null) : Grade.wrong(null);
    }

    static String prompt(String question, String reference, String response) {
        Map<String, String> values = Map.of("question", question, "reference", reference, "response", response);
        // One pass, so a placeholder inside a value is left as it is.
        return PLACEHOLDER.matcher(TEMPLATE).replaceAll(placeholder ->
                Matcher.quoteReplacement(defuse(values.get(placeholder.group(1)))));
    }

    private static String defuse(String value) {
        return CLOSING_TAG.matcher(value).replaceAll("</ $1>");
    }

    private static ChatRequest request(String prompt) {
        ObjectNode body = JsonNodeFactory.instance.objectNode();
        body.putArray("messages").addObject().put("role", "user").put("content", prompt);
        body.put("temperature", 0);
        body.put("max_tokens", MAX_TOKENS);
        return new ChatRequest(body);
    }

    private boolean verdict(String reply) {
        String visible = AnswerExtraction.withoutReasoning(reply);
        if (INCORRECT.matcher(visible).find()) {
            return false;
        }
        if (CORRECT.matcher(visible).find()) {
            return true;
        }
        String quoted = visible.strip();
        throw new ExpertProtocolException(judge.expert().id(), "judge replied neither CORRECT nor INCORRECT: \""
                + (quoted.length() <= MAX_QUOTED_REPLY ? quoted : quoted.substring(0, MAX_QUOTED_REPLY) + "…")
                + "\"", null);
    }

    private static String template(String resource) {
        try (InputStream in = JudgeGrader.class.getResourceAsStream(resource)) {
            if (in == null) {
                throw new IllegalStateException("missing resource " + resource);
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + resource, e);
        }
    }
}
