package dev.waymark.http;

import dev.waymark.auth.Caller;
import org.eclipse.jetty.server.Request;

/** One request on its way through the steps; each step fills in what it learns. */
public final class Exchange {
    private final Request request;
    private final String requestId;
    private byte[] body = new byte[0];
    private Caller caller = Caller.UNRESTRICTED;
    private String operationName = "Unmatched";
    private String throttleReason = "rate";

    Exchange(Request request, String requestId) {
        this.request = request;
        this.requestId = requestId;
    }

    public Request request() {
        return request;
    }

    public String requestId() {
        return requestId;
    }

    public byte[] body() {
        return body;
    }

    void setBody(byte[] body) {
        this.body = body;
    }

    public Caller caller() {
        return caller;
    }

    /** The Pinpoint operation the request was routed to ("Unmatched" until routing found one). */
    public String operationName() {
        return operationName;
    }

    void setOperationName(String operationName) {
        this.operationName = operationName;
    }

    /** Why a 429 was given: the per-key rate, or the bound on requests in flight. */
    public String throttleReason() {
        return throttleReason;
    }

    void setThrottleReason(String reason) {
        this.throttleReason = reason;
    }

    public void setCaller(Caller caller) {
        this.caller = caller;
    }
}
