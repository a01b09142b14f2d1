package io.consilium.profiler;

/**
 * A profiling job that cannot start because one of its options names something unusable (an expert that
 * does not exist, is disabled or lacks the role); names the option as the API does.
 */
public final class InvalidProfilingRequestException extends IllegalArgumentException {

    private final String field;

    public InvalidProfilingRequestException(String field, String reason) {
        super(field + ": " + reason);
        this.field = field;
    }

    /** The option at fault: {@code experts}, {@code aggregators} or {@code judge}. */
    public String field() {
        return field;
    }
}
