package io.consilium.router.routing;

import java.util.Arrays;
import java.util.Optional;

/** How experts are chosen for a request. */
public enum Strategy {
    /** Recruit the k experts strongest in the request's skills and fuse their answers. */
    SYMBOLIC_MOE("symbolic-moe"),
    /** The single best expert for the request's top skill. */
    COE("coe"),
    /** The most expected competence per expected dollar, within a budget. */
    COST("cost");

    private final String id;

    Strategy(String id) {
        this.id = id;
    }

    public String id() {
        return id;
    }

    public static Optional<Strategy> fromId(String id) {
        return Arrays.stream(values()).filter(strategy -> strategy.id.equals(id)).findFirst();
    }
}
