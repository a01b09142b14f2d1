package io.consilium.router.feedback;

import io.consilium.router.feedback.CompletionLog;
import java.time.Duration;

class MemoryCompletionStoreTest extends CompletionStoreContract {

    @Override
    protected CompletionLog.Store newEmptyStore(Duration rememberFor) {
        return CompletionLog.inMemory(1_000, rememberFor);
    }
}
