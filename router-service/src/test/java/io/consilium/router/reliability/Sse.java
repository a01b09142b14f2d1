package io.consilium.router.reliability;

import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/** Reads a server-sent-events body the way a client would. */
final class Sse {

    private static final JsonMapper JSON = JsonMapper.builder().build();

    private Sse() {}

    /** The concatenated {@code delta.content} of every chunk. */
    static String content(String body) {
        StringBuilder text = new StringBuilder();
        for (String data : data(body)) {
            if (!"[DONE]".equals(data)) {
                JsonNode event = JSON.readTree(data);
                event.path("choices").forEach(choice -> text.append(choice.path("delta").path("content").asString("")));
            }
        }
        return text.toString();
    }

    static boolean endsWithDone(String body) {
        String[] events = data(body);
        return events.length > 0 && "[DONE]".equals(events[events.length - 1]);
    }

    /** The last event, which a failed stream makes an {@code {"error": …}} object. */
    static JsonNode lastError(String body) {
        String[] events = data(body);
        return events.length == 0 ? JSON.createObjectNode() : JSON.readTree(events[events.length - 1]);
    }

    private static String[] data(String body) {
        return body.lines().filter(line -> line.startsWith("data: ")).map(line -> line.substring(6)).toArray(String[]::new);
    }
}
