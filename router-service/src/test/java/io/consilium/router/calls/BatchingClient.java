package io.consilium.router.calls;

import io.consilium.registry.ChatCompletion;
import io.consilium.registry.ChatRequest;
import io.consilium.registry.ChatStream;
import io.consilium.registry.Expert;
import io.consilium.registry.ExpertClient;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

/**
 * A stand-in for a local model, written for the tests: answers each request with {@code "answer to: <last
 * user message>"}, records the size of every pass, and can be held (passes wait until released) or made to
 * fail. With {@code batches = false} it is a remote-style client that answers one request at a time.
 */
final class BatchingClient implements ExpertClient {

    private static final JsonMapper JSON = JsonMapper.builder().build();

    private final Expert expert;
    private final boolean batches;
    private final List<Integer> passes = new CopyOnWriteArrayList<>();
    private final AtomicInteger singleCalls = new AtomicInteger();
    private volatile CountDownLatch gate = new CountDownLatch(0);
    private volatile RuntimeException failure;

    BatchingClient(Expert expert, boolean batches) {
        this.expert = expert;
        this.batches = batches;
    }

    /** Passes started from now on wait until {@link #release()}. */
    void hold() {
        gate = new CountDownLatch(1);
    }

    void release() {
        gate.countDown();
    }

    /** Passes fail with this from now on. */
    void failWith(RuntimeException error) {
        this.failure = error;
    }

    /** Sizes of the passes run so far, in order. */
    List<Integer> passes() {
        return List.copyOf(passes);
    }

    int singleCalls() {
        return singleCalls.get();
    }

    static ChatRequest request(String text) {
        ObjectNode body = JSON.createObjectNode();
        body.put("model", "local");
        body.putArray("messages").addObject().put("role", "user").put("content", text);
        return new ChatRequest(body);
    }

    static String textOf(ChatCompletion completion) {
        return completion.text();
    }

    @Override
    public Expert expert() {
        return expert;
    }

    @Override
    public boolean answersInBatches() {
        return batches;
    }

    @Override
    public ChatCompletion chat(ChatRequest request) {
        singleCalls.incrementAndGet();
        return pass(List.of(request), false).getFirst();
    }

    @Override
    public List<ChatCompletion> chatBatch(List<ChatRequest> requests) {
        return pass(requests, true);
    }

    private List<ChatCompletion> pass(List<ChatRequest> requests, boolean record) {
        if (record) {
            passes.add(requests.size());
        }
        try {
            if (!gate.await(10, TimeUnit.SECONDS)) {
                throw new IllegalStateException("the test never released the pass");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        }
        RuntimeException error = failure;
        if (error != null) {
            throw error;
        }
        return requests.stream().map(request -> {
            ObjectNode body = JSON.createObjectNode();
            body.put("object", "chat.completion");
            body.putArray("choices").addObject().putObject("message").put("role", "assistant")
                    .put("content", "answer to: " + request.lastUserText());
            return new ChatCompletion(body);
        }).toList();
    }

    @Override
    public ChatStream stream(ChatRequest request) {
        throw new UnsupportedOperationException("not streamed in these tests");
    }
}
