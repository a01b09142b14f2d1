package io.consilium.registry;

import java.time.Duration;

/** The expert did not answer within the request's deadline. */
public final class ExpertTimeoutException extends ExpertException {

    public ExpertTimeoutException(String expertId, Duration deadline) {
        super(expertId, "no answer within " + deadline.toMillis() + " ms");
    }

    @Override
    public boolean isExpertFault() {
        return true;
    }
}
