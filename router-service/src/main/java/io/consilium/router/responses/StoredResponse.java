package io.consilium.router.responses;

import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * A response kept for {@code GET /v1/responses/{id}} and {@code previous_response_id}.
 *
 * @param owner who made it (see {@link io.consilium.router.auth.Caller#owner()}); nobody else may read, continue or delete it
 * @param response the response object as the client received it
 * @param input the input items of the whole conversation that led to it, those of the responses it continued
 *     first, so that a continuation rebuilds the conversation from this one entry
 */
record StoredResponse(String id, String owner, ObjectNode response, ArrayNode input) {}
