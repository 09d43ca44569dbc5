package dev.waymark.http;

/** One step of the request path. It handles the exchange itself or passes it on to the rest of the chain. */
@FunctionalInterface
public interface Step {
    ApiResponse apply(Exchange exchange, Chain next) throws Exception;

    /** The steps after this one. */
    @FunctionalInterface
    interface Chain {
        ApiResponse proceed(Exchange exchange) throws Exception;
    }

    /** Chains steps in order; the last one must answer without calling on. */
    static Chain chain(java.util.List<Step> steps) {
        Chain tail = exchange -> {
            throw new IllegalStateException("the last step did not answer");
        };
        for (int i = steps.size() - 1; i >= 0; i--) {
            Step step = steps.get(i);
            Chain rest = tail;
            tail = exchange -> step.apply(exchange, rest);
        }
        return tail;
    }
}
