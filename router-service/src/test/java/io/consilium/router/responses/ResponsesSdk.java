package io.consilium.router.responses;

import static org.assertj.core.api.Assertions.assertThat;

import com.openai.core.JsonValue;
import com.openai.models.responses.FunctionTool;
import com.openai.models.responses.Response;
import com.openai.models.responses.ResponseStreamEvent;
import java.util.List;
import java.util.Map;
import java.util.stream.LongStream;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/** What the Responses tests read of the OpenAI SDK's objects, and the function tool they offer. */
final class ResponsesSdk {

    private static final JsonMapper JSON = JsonMapper.builder().build();

    private ResponsesSdk() {}

    /** The text of every output message, joined. */
    static String text(Response response) {
        return response.output().stream().flatMap(item -> item.message().stream())
                .flatMap(message -> message.content().stream())
                .map(content -> content.outputText().orElseThrow().text())
                .reduce("", String::concat);
    }

    /** The response's {@code consilium} object, which the SDK keeps as an unknown field. */
    static JsonNode consilium(Response response) {
        return JSON.valueToTree(response._additionalProperties().get("consilium").convert(Object.class));
    }

    /**
     * The Responses event sequence of an answer that is one message: created, in progress, the item and its part
     * opened, text deltas, the text, part and item done, completed; numbered from 0 without a gap.
     */
    static void assertOneMessageSequence(List<ResponseStreamEvent> events) {
        assertThat(events.getFirst().isCreated()).isTrue();
        assertThat(events.get(1).isInProgress()).isTrue();
        assertThat(events.get(2).isOutputItemAdded()).isTrue();
        assertThat(events.get(3).isContentPartAdded()).isTrue();
        assertThat(events.get(4).isOutputTextDelta()).isTrue();
        int last = events.size() - 1;
        assertThat(events.get(last).isCompleted()).isTrue();
        assertThat(events.get(last - 1).isOutputItemDone()).isTrue();
        assertThat(events.get(last - 2).isContentPartDone()).isTrue();
        assertThat(events.get(last - 3).isOutputTextDone()).isTrue();
        assertThat(events.stream().map(ResponsesSdk::sequenceNumber).toList())
                .isEqualTo(LongStream.range(0, events.size()).boxed().toList());
    }

    /** The text deltas of a stream, joined. */
    static String streamedText(List<ResponseStreamEvent> events) {
        return events.stream().flatMap(event -> event.outputTextDelta().stream())
                .map(delta -> delta.delta()).reduce("", String::concat);
    }

    private static long sequenceNumber(ResponseStreamEvent event) {
        return JSON.valueToTree(event._json().orElseThrow().convert(Object.class)).path("sequence_number").asLong(-1);
    }

    /** {@code get_weather(city)}, strict. */
    static FunctionTool weatherTool() {
        return FunctionTool.builder().name("get_weather").description("The weather in a city").strict(true)
                .parameters(FunctionTool.Parameters.builder()
                        .putAdditionalProperty("type", JsonValue.from("object"))
                        .putAdditionalProperty("properties", JsonValue.from(Map.of("city", Map.of("type", "string"))))
                        .putAdditionalProperty("required", JsonValue.from(List.of("city")))
                        .putAdditionalProperty("additionalProperties", JsonValue.from(false))
                        .build())
                .build();
    }
}
