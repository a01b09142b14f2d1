package io.consilium.router.chat;

import tools.jackson.databind.node.JsonNodeFactory;
import tools.jackson.databind.node.ObjectNode;

/** Builds the {@code consilium} object that every chat response carries. */
final class ConsiliumMetadata {

    private ConsiliumMetadata() {}

    /** Metadata of a direct call to one expert: no classification, no fusion. */
    static ObjectNode direct(ExpertCall call, long overheadMs) {
        ObjectNode metadata = JsonNodeFactory.instance.objectNode();
        metadata.putArray("skills");
        call.writeTo(metadata.putArray("experts").addObject());
        metadata.putNull("aggregator");
        metadata.put("fusion", "none");
        metadata.put("consensus", false);
        metadata.put("router_overhead_ms", overheadMs);
        return metadata;
    }
}
