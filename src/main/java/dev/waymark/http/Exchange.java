package dev.waymark.http;

import dev.waymark.auth.Caller;
import dev.waymark.auth.RequestAuthenticator;
import org.eclipse.jetty.server.Request;

/** One request on its way through the steps; each step fills in what it learns. */
public final class Exchange {
    static final String UNMATCHED = "Unmatched";

    private final Request request;
    private final String requestId;
    private byte[] body = new byte[0];
    private String bodySha256 = "";
    private RequestAuthenticator.HeadersChecked headersChecked;
    private Caller caller = Caller.UNRESTRICTED;
    private String operationName = UNMATCHED;
    private String throttleReason = "rate";
    private Runnable unverifiedPermit;

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

    /** The SHA-256 (hex) of the body, computed as it was read. */
    public String bodySha256() {
        return bodySha256;
    }

    void setBody(byte[] body, String sha256Hex) {
        this.body = body;
        this.bodySha256 = sha256Hex;
    }

    /** What the headers proved about the signer; null until then, and with signatures off. */
    public RequestAuthenticator.HeadersChecked headersChecked() {
        return headersChecked;
    }

    public void setHeadersChecked(RequestAuthenticator.HeadersChecked checked) {
        this.headersChecked = checked;
    }

    public Caller caller() {
        return caller;
    }

    /** Labels a request whose authentication failed, in metrics and the access log. */
    public void markUnauthenticated() {
        this.operationName = "unauthenticated";
    }

    /** The Pinpoint operation the request was routed to ("Unmatched" until routing found one). */
    public String operationName() {
        return operationName;
    }

    void setOperationName(String operationName) {
        this.operationName = operationName;
    }

    /** Names the operation unless the request is already labelled (an authentication failure keeps its label). */
    void nameOperation(String operationName) {
        if (this.operationName.equals(UNMATCHED)) {
            this.operationName = operationName;
        }
    }

    /** Why a 429 was given: the per-key rate, the bound on requests in flight, body memory, failed sign-ins. */
    public String throttleReason() {
        return throttleReason;
    }

    public void setThrottleReason(String reason) {
        this.throttleReason = reason;
    }

    /** Holds a permit of the pool for requests whose signature is not verified yet; {@code giveBack} returns it. */
    void holdUnverifiedPermit(Runnable giveBack) {
        this.unverifiedPermit = giveBack;
    }

    boolean holdsUnverifiedPermit() {
        return unverifiedPermit != null;
    }

    /** Gives the unverified permit back, once (when the signature is proven, or when the request ends). */
    void releaseUnverifiedPermit() {
        Runnable giveBack = unverifiedPermit;
        unverifiedPermit = null;
        if (giveBack != null) {
            giveBack.run();
        }
    }

    public void setCaller(Caller caller) {
        this.caller = caller;
    }
}
