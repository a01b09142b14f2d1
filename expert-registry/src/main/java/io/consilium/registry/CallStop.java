package io.consilium.registry;

/**
 * Why a caller stops the expert calls it started. Callers stop a call by interrupting its thread, and to the
 * call an interrupt looks the same whatever prompted it; a caller that runs its calls inside a stop says
 * whether its deadline passed or its own client left, so that the calls' outcomes (and meters) tell the two
 * apart. Calls made outside any stop that are interrupted count as {@link CallOutcome#CLIENT_GONE}.
 */
public final class CallStop {

    private static final ScopedValue<CallStop> CURRENT = ScopedValue.newInstance();

    private volatile CallOutcome reason = CallOutcome.CLIENT_GONE;

    /** Runs calls on this thread as part of this stop. */
    public void run(Runnable calls) {
        ScopedValue.where(CURRENT, this).run(calls);
    }

    /** Say so before interrupting the calls: the deadline passed. */
    public void deadlinePassed() {
        reason = CallOutcome.TIMEOUT;
    }

    /** The outcome of a call interrupted on this thread: why its caller stopped it. */
    static CallOutcome reasonOnThisThread() {
        return CURRENT.isBound() ? CURRENT.get().reason : CallOutcome.CLIENT_GONE;
    }
}
