package io.consilium.router.routing;

/**
 * Why a plan keeps a conversation with one expert: the request carries back the results of tool calls that
 * expert made, so it continues its own agent loop (and its prompt cache stays warm).
 *
 * @param expertId the expert that made the tool calls
 * @param toolCallId the remembered tool call that named it
 */
public record Affinity(String expertId, String toolCallId) {}
