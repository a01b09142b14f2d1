package io.consilium.router.routing;

import java.util.Optional;

/** Remembers which expert made each tool call that was sent to a client, for as long as answers are remembered. */
public interface ToolCallMakers {

    /** The expert that made the tool call, while it is remembered. */
    Optional<String> makerOf(String toolCallId);
}
