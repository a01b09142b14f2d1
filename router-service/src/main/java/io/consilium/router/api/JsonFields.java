package io.consilium.router.api;

import java.util.ArrayList;
import java.util.List;
import tools.jackson.databind.JsonNode;

/** Reads request fields that hold lists of strings, with a 400 naming the field when they do not. */
public final class JsonFields {

    private JsonFields() {}

    /**
     * The strings of an array field; a missing or null field is an empty list.
     *
     * @param param the field's name as the error should show it
     * @param what what the strings are, for the error message ("expert ids", "texts")
     */
    public static List<String> strings(JsonNode values, String param, String what) {
        if (values.isMissingNode() || values.isNull()) {
            return List.of();
        }
        if (!values.isArray()) {
            throw ApiException.invalidRequest(param, "'" + param + "' must be an array of " + what + ".");
        }
        List<String> strings = new ArrayList<>();
        for (JsonNode value : values) {
            if (!value.isString()) {
                throw ApiException.invalidRequest(param, "'" + param + "' must contain only " + what + ".");
            }
            strings.add(value.asString());
        }
        return strings;
    }
}
