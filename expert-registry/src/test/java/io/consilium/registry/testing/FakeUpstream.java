package io.consilium.registry.testing;

import tools.jackson.databind.JsonNode;

/** What the {@link ExpertClientContract} needs of a provider's fake upstream server. */
public interface FakeUpstream {

    /** Answers the next request with this HTTP status and an error body in the protocol's shape. */
    void refuseNext(int status, String message, String... headers);

    /** Never answers the next request (until the server stops or a minute passes). */
    void hangNext();

    /** Streams the next answer without end: a first piece of text, then keeps the connection busy. */
    void streamNextWithoutEnd(String firstPiece);

    /** The body of the last request received. */
    JsonNode lastRequestBody();

    /** The system instructions of the last request, in order, joined by a blank line, as its protocol carries them. */
    String lastSystemText();

    /** Replies cut short because the client went away while they were being written. */
    int brokenWrites();
}
