package io.consilium.router.batchapi;

import java.util.List;
import org.jspecify.annotations.Nullable;

/** OpenAI's list envelope for batches, newest first. */
record BatchList(String object, List<BatchView> data, @Nullable String first_id, @Nullable String last_id,
        boolean has_more) {

    static BatchList of(List<BatchView> data, boolean hasMore) {
        return new BatchList("list", data, data.isEmpty() ? null : data.getFirst().id(),
                data.isEmpty() ? null : data.getLast().id(), hasMore);
    }
}
