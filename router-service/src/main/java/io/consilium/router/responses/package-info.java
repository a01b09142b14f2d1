/**
 * {@code /v1/responses}: the OpenAI Responses API, answered by the same composition as chat completions
 * (a request is translated to a chat request and the answer back), with stored responses for
 * {@code previous_response_id}.
 */
@NullMarked
package io.consilium.router.responses;

import org.jspecify.annotations.NullMarked;
