package io.consilium.registry;

/**
 * The meters every client handed out by {@link ExpertClients} records, once per call whoever calls: a call
 * with its retries is one call, a batched request is one call, a stream is one call observed when it ends.
 * Tags come from bounded sets only: expert id, mode, outcome, token kind.
 */
public final class ExpertCallMeters {

    /** Timer of calls from request to last byte, tagged {@value #EXPERT}, {@value #MODE} and {@value #OUTCOME}. */
    public static final String CALLS = "consilium.expert.calls";
    /** Counter of the tokens answered calls used, tagged {@value #EXPERT} and {@value #KIND}. */
    public static final String TOKENS = "consilium.expert.tokens";
    /** Counter of what answered calls cost at the expert's prices, in usd, tagged {@value #EXPERT}. */
    public static final String COST = "consilium.expert.cost";

    /** The expert id. */
    public static final String EXPERT = "expert";
    /** {@code chat}, {@code stream} or {@code embed}. */
    public static final String MODE = "mode";
    /** A {@link CallOutcome#tag()}. */
    public static final String OUTCOME = "outcome";
    /** {@code prompt} or {@code completion}. */
    public static final String KIND = "kind";

    private ExpertCallMeters() {}
}
