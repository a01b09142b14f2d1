package io.consilium.registry.testing;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/** The contract mode of {@link FakeOpenAiUpstream}: the OpenAI shapes that clients parse, streamed and not. */
class FakeOpenAiUpstreamContractTest {

    private static final JsonMapper JSON = JsonMapper.builder().build();
    private static final Duration PACE = Duration.ofMillis(15);
    private static final FakeOpenAiUpstream UPSTREAM = FakeOpenAiUpstream.startHonouringContract(PACE);
    private static final HttpClient HTTP = HttpClient.newHttpClient();
    private static final String WEATHER_TOOL = """
            {"type": "function", "function": {"name": "get_weather", "parameters": {"type": "object",
              "properties": {"city": {"type": "string"}, "days": {"type": "integer"}, "unit": {"enum": ["C", "F"]}},
              "required": ["city", "days"]}}}""";
    private static final String TIME_TOOL = """
            {"type": "function", "function": {"name": "get_time", "parameters": {"type": "object",
              "properties": {"zone": {"type": "string"}}, "required": ["zone"]}}}""";
    private static final String ASK = "{\"role\": \"user\", \"content\": \"Weather in Paris?\"}";

    @AfterAll
    static void stop() {
        UPSTREAM.close();
    }

    private static HttpResponse<String> post(String body) throws Exception {
        return HTTP.send(HttpRequest.newBuilder(URI.create(UPSTREAM.baseUrl() + "/chat/completions"))
                .header("content-type", "application/json").POST(HttpRequest.BodyPublishers.ofString(body)).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    private static JsonNode complete(String body) throws Exception {
        HttpResponse<String> response = post(body);
        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        return JSON.readTree(response.body());
    }

    /** The data of each server-sent event before {@code [DONE]}, and the time each arrived. */
    private record Event(JsonNode data, long atMillis) {}

    private static List<Event> stream(String body) throws Exception {
        long started = System.nanoTime();
        List<Event> events = new ArrayList<>();
        HttpResponse<java.util.stream.Stream<String>> response = HTTP.send(
                HttpRequest.newBuilder(URI.create(UPSTREAM.baseUrl() + "/chat/completions"))
                        .header("content-type", "application/json")
                        .POST(HttpRequest.BodyPublishers.ofString(body)).build(),
                HttpResponse.BodyHandlers.ofLines());
        assertThat(response.statusCode()).isEqualTo(200);
        boolean done = false;
        for (String line : (Iterable<String>) response.body()::iterator) {
            if (line.equals("data: [DONE]")) {
                done = true;
            } else if (line.startsWith("data: ")) {
                events.add(new Event(JSON.readTree(line.substring(6)), (System.nanoTime() - started) / 1_000_000));
            }
        }
        assertThat(done).as("the stream ends with [DONE]").isTrue();
        return events;
    }

    @Test
    void should_call_the_first_tool_with_its_required_arguments_when_tools_are_offered() throws Exception {
        // when
        JsonNode answer = complete("{\"model\": \"m\", \"messages\": [" + ASK + "], \"tools\": [" + WEATHER_TOOL
                + ", " + TIME_TOOL + "]}");

        // then
        JsonNode choice = answer.path("choices").path(0);
        assertThat(choice.path("finish_reason").asString()).isEqualTo("tool_calls");
        assertThat(choice.path("message").path("content").isNull()).isTrue();
        JsonNode call = choice.path("message").path("tool_calls").path(0);
        assertThat(call.path("id").asString()).startsWith("call_");
        assertThat(call.path("type").asString()).isEqualTo("function");
        assertThat(call.path("function").path("name").asString()).isEqualTo("get_weather");
        JsonNode arguments = JSON.readTree(call.path("function").path("arguments").asString());
        assertThat(arguments.propertyNames()).containsExactlyInAnyOrder("city", "days");
        assertThat(arguments.path("city").isString()).isTrue();
        assertThat(arguments.path("days").isIntegralNumber()).isTrue();
    }

    @Test
    void should_honour_tool_choice() throws Exception {
        // given
        String tools = "\"tools\": [" + WEATHER_TOOL + ", " + TIME_TOOL + "]";

        // when
        JsonNode named = complete("{\"model\": \"m\", \"messages\": [" + ASK + "], " + tools
                + ", \"tool_choice\": {\"type\": \"function\", \"function\": {\"name\": \"get_time\"}}}");
        JsonNode none = complete("{\"model\": \"m\", \"messages\": [" + ASK + "], " + tools + ", \"tool_choice\": \"none\"}");
        HttpResponse<String> unknown = post("{\"model\": \"m\", \"messages\": [" + ASK + "], " + tools
                + ", \"tool_choice\": {\"type\": \"function\", \"function\": {\"name\": \"get_stock\"}}}");

        // then
        assertThat(named.at("/choices/0/message/tool_calls/0/function/name").asString()).isEqualTo("get_time");
        assertThat(none.at("/choices/0/message/content").asString()).isEqualTo("echo: Weather in Paris?");
        assertThat(none.at("/choices/0/finish_reason").asString()).isEqualTo("stop");
        assertThat(unknown.statusCode()).isEqualTo(400);
        assertThat(JSON.readTree(unknown.body()).at("/error/param").asString()).isEqualTo("tool_choice");
    }

    @Test
    void should_answer_a_tool_result_with_text_that_names_it() throws Exception {
        // when
        JsonNode answer = complete("{\"model\": \"m\", \"tools\": [" + WEATHER_TOOL + "], \"messages\": [" + ASK + ", "
                + "{\"role\": \"assistant\", \"content\": null, \"tool_calls\": [{\"id\": \"call_1\", \"type\": \"function\","
                + " \"function\": {\"name\": \"get_weather\", \"arguments\": \"{}\"}}]},"
                + " {\"role\": \"tool\", \"tool_call_id\": \"call_1\", \"content\": \"sunny, 21 C\"}]}");

        // then
        assertThat(answer.at("/choices/0/finish_reason").asString()).isEqualTo("stop");
        assertThat(answer.at("/choices/0/message/content").asString()).contains("get_weather").contains("sunny, 21 C");
    }

    @Test
    void should_refuse_a_tool_result_that_answers_no_call_and_a_call_left_without_its_result() throws Exception {
        // when
        HttpResponse<String> orphan = post("{\"model\": \"m\", \"messages\": [" + ASK + ", "
                + "{\"role\": \"tool\", \"tool_call_id\": \"call_9\", \"content\": \"sunny\"}]}");
        HttpResponse<String> unanswered = post("{\"model\": \"m\", \"messages\": [" + ASK + ", "
                + "{\"role\": \"assistant\", \"content\": null, \"tool_calls\": [{\"id\": \"call_1\", \"type\": \"function\","
                + " \"function\": {\"name\": \"get_weather\", \"arguments\": \"{}\"}}]}, " + ASK + "]}");

        // then
        assertThat(orphan.statusCode()).isEqualTo(400);
        assertThat(JSON.readTree(orphan.body()).at("/error/type").asString()).isEqualTo("invalid_request_error");
        assertThat(JSON.readTree(orphan.body()).at("/error/param").asString()).isEqualTo("messages[1].tool_call_id");
        assertThat(unanswered.statusCode()).isEqualTo(400);
        assertThat(JSON.readTree(unanswered.body()).at("/error/param").asString()).isEqualTo("messages[1]");
    }

    @Test
    void should_give_n_choices_and_refuse_a_bad_n() throws Exception {
        // when
        JsonNode three = complete("{\"model\": \"m\", \"n\": 3, \"messages\": [" + ASK + "]}");
        HttpResponse<String> zero = post("{\"model\": \"m\", \"n\": 0, \"messages\": [" + ASK + "]}");

        // then
        assertThat(three.path("choices")).hasSize(3);
        assertThat(three.at("/choices/2/index").asInt()).isEqualTo(2);
        assertThat(three.at("/choices/2/message/content").asString()).isEqualTo("echo: Weather in Paris? (choice 3 of 3)");
        assertThat(zero.statusCode()).isEqualTo(400);
        assertThat(JSON.readTree(zero.body()).at("/error/param").asString()).isEqualTo("n");
    }

    @Test
    void should_answer_json_mode_with_an_object_and_a_json_schema_with_its_required_properties() throws Exception {
        // when
        JsonNode object = complete("{\"model\": \"m\", \"messages\": [" + ASK + "], "
                + "\"response_format\": {\"type\": \"json_object\"}}");
        JsonNode schema = complete("{\"model\": \"m\", \"messages\": [" + ASK + "], \"response_format\": "
                + "{\"type\": \"json_schema\", \"json_schema\": {\"name\": \"report\", \"strict\": true, \"schema\": "
                + "{\"type\": \"object\", \"additionalProperties\": false, \"required\": [\"city\", \"celsius\", \"rain\","
                + " \"hours\", \"wind\"], \"properties\": {\"city\": {\"type\": \"string\"}, \"celsius\": {\"type\": \"number\"},"
                + " \"rain\": {\"type\": \"boolean\"}, \"hours\": {\"type\": \"array\", \"items\": {\"type\": \"integer\"}},"
                + " \"wind\": {\"$ref\": \"#/$defs/wind\"}, \"note\": {\"type\": \"string\"}},"
                + " \"$defs\": {\"wind\": {\"type\": \"object\", \"required\": [\"kmh\"], \"properties\": {\"kmh\": {\"type\": \"integer\"}}}}}}}}");

        // then
        JsonNode parsedObject = JSON.readTree(object.at("/choices/0/message/content").asString());
        assertThat(parsedObject.isObject()).isTrue();
        JsonNode report = JSON.readTree(schema.at("/choices/0/message/content").asString());
        assertThat(report.propertyNames()).containsExactlyInAnyOrder("city", "celsius", "rain", "hours", "wind");
        assertThat(report.path("city").isString()).isTrue();
        assertThat(report.path("celsius").isNumber()).isTrue();
        assertThat(report.path("rain").isBoolean()).isTrue();
        assertThat(report.path("hours").isArray()).isTrue();
        assertThat(report.at("/wind/kmh").isIntegralNumber()).isTrue();
    }

    @Test
    void should_stream_text_as_several_chunks_pace_apart_with_usage_only_when_asked() throws Exception {
        // when
        List<Event> plain = stream("{\"model\": \"m\", \"stream\": true, \"messages\": [{\"role\": \"user\", "
                + "\"content\": \"one two three four\"}]}");
        List<Event> withUsage = stream("{\"model\": \"m\", \"stream\": true, \"stream_options\": "
                + "{\"include_usage\": true}, \"messages\": [" + ASK + "]}");

        // then
        StringBuilder text = new StringBuilder();
        plain.forEach(event -> text.append(event.data().at("/choices/0/delta/content").asString("")));
        assertThat(text).hasToString("echo: one two three four");
        List<Event> content = plain.stream().filter(event -> event.data().at("/choices/0/delta").has("content")).toList();
        assertThat(content).hasSizeGreaterThanOrEqualTo(4);
        assertThat(content.getLast().atMillis() - content.getFirst().atMillis())
                .isGreaterThanOrEqualTo(PACE.toMillis() * (content.size() - 2));
        assertThat(plain.getLast().data().at("/choices/0/finish_reason").asString()).isEqualTo("stop");
        assertThat(plain).noneMatch(event -> event.data().has("usage"));
        JsonNode usage = withUsage.getLast().data();
        assertThat(usage.path("choices")).isEmpty();
        assertThat(usage.at("/usage/total_tokens").asInt()).isPositive();
        assertThat(withUsage.subList(0, withUsage.size() - 1)).allMatch(event -> event.data().path("usage").isNull());
    }

    @Test
    void should_stream_a_tool_call_as_deltas_of_its_arguments() throws Exception {
        // when
        List<Event> events = stream("{\"model\": \"m\", \"stream\": true, \"messages\": [" + ASK + "], \"tools\": ["
                + WEATHER_TOOL + "]}");

        // then
        JsonNode opening = events.getFirst().data().at("/choices/0/delta/tool_calls/0");
        assertThat(opening.path("id").asString()).startsWith("call_");
        assertThat(opening.at("/function/name").asString()).isEqualTo("get_weather");
        StringBuilder arguments = new StringBuilder();
        events.forEach(event -> arguments.append(event.data().at("/choices/0/delta/tool_calls/0/function/arguments").asString("")));
        assertThat(events.stream().filter(event -> event.data().at("/choices/0/delta").has("tool_calls")))
                .hasSizeGreaterThan(2);
        assertThat(JSON.readTree(arguments.toString()).path("city").isString()).isTrue();
        assertThat(events.getLast().data().at("/choices/0/finish_reason").asString()).isEqualTo("tool_calls");
    }

    @Test
    void should_stream_n_choices_interleaved_and_finish_them_last() throws Exception {
        // when
        List<Event> events = stream("{\"model\": \"m\", \"stream\": true, \"n\": 2, \"messages\": [" + ASK + "]}");

        // then
        StringBuilder first = new StringBuilder();
        StringBuilder second = new StringBuilder();
        List<Integer> finished = new ArrayList<>();
        for (Event event : events) {
            JsonNode choice = event.data().at("/choices/0");
            (choice.path("index").asInt() == 0 ? first : second).append(choice.at("/delta/content").asString(""));
            if (choice.path("finish_reason").isString()) {
                finished.add(events.indexOf(event));
            }
        }
        assertThat(first).hasToString("echo: Weather in Paris? (choice 1 of 2)");
        assertThat(second).hasToString("echo: Weather in Paris? (choice 2 of 2)");
        assertThat(finished).containsExactly(events.size() - 2, events.size() - 1);
    }
}
