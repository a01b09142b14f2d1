package io.consilium.registry;

/**
 * The call was not attempted: the expert's host now resolves to an address the {@link EgressPolicy}
 * refuses (its DNS changed after registration, or the policy is stricter than when it was registered).
 * Repeating the call will not help; it does count against the expert's health, since every call to it
 * will fail the same way until its DNS or definition changes.
 */
public final class ExpertForbiddenException extends ExpertException {

    private final EgressRefusedException refusal;

    public ExpertForbiddenException(String expertId, EgressRefusedException refusal) {
        // The message reaches API clients: it says what kind of address was refused, not which one.
        super(expertId, "not called: its base-url is refused by the egress policy, as " + refusal.kind()
                + " (" + refusal.rule() + ")", refusal);
        this.refusal = refusal;
    }

    /** The policy's refusal, naming host and address, for operators. */
    public EgressRefusedException refusal() {
        return refusal;
    }

    @Override
    public boolean isExpertFault() {
        return true;
    }
}
