package io.consilium.router.reliability;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.consilium.registry.Expert;
import io.consilium.registry.Limits;
import io.consilium.registry.testing.FakeOpenAiUpstream;
import io.consilium.registry.testing.FakeOpenAiUpstream.Reply;
import io.consilium.router.RunningService;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryMXBean;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.Semaphore;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A bounded soak: 5,000 requests at concurrency 32 across direct, route and auto, streamed and not,
 * with 5 % of upstream answers faulty. Every request must end in an answer or a documented error; none
 * may hang or be a 500; the heap must come back to where it was.
 */
class SoakIT extends RunningService {

    private static final Logger log = LoggerFactory.getLogger(SoakIT.class);

    private static final int REQUESTS = 5_000;
    private static final int CONCURRENCY = 32;
    private static final double FAULT_RATE = 0.05;
    /** The documented failures a client may see when faults pile up on one request. */
    private static final Set<Integer> DOCUMENTED = Set.of(200, 429, 502, 503, 504);
    private static final List<Fault> FAULTS = List.of(Fault.SERVER_ERROR, Fault.BAD_GATEWAY, Fault.UNAVAILABLE,
            Fault.RATE_LIMITED, Fault.CONNECTION_CLOSED, Fault.MALFORMED_JSON, Fault.STREAM_CUT, Fault.TOO_LATE);

    private static final AtomicInteger INJECTED = new AtomicInteger();
    private static final FakeOpenAiUpstream UPSTREAM = FakeOpenAiUpstream.start().answerWith((exchange, request, upstream) -> {
        SplittableRandom random = new SplittableRandom(request.toString().hashCode() ^ System.nanoTime());
        if (random.nextDouble() < FAULT_RATE) {
            INJECTED.incrementAndGet();
            FAULTS.get(random.nextInt(FAULTS.size())).reply().send(exchange, request, upstream);
        } else {
            Reply.echo().send(exchange, request, upstream);
        }
    });

    @AfterAll
    static void stopUpstream() {
        UPSTREAM.close();
    }

    @Test
    void should_account_for_every_request_under_faults_and_return_to_the_memory_baseline() throws Exception {
        // given
        Limits limits = new Limits(64, FaultFixture.EXPERT_TIMEOUT, 8192);
        List<Expert> experts = List.of(
                registerRemote(UPSTREAM.baseUrl(), b -> b.limits(limits).skills(List.of("law", "business.finance"))),
                registerRemote(UPSTREAM.baseUrl(), b -> b.limits(limits).skills(List.of("law", "general.chat"))),
                registerRemote(UPSTREAM.baseUrl(), b -> b.limits(limits).skills(List.of("math.calculus", "law"))),
                registerRemote(UPSTREAM.baseUrl(), b -> b.limits(limits).skills(List.of("cs.programming", "law"))));
        String allow = "{\"allow\": [" + String.join(", ", experts.stream().map(e -> "\"" + e.id() + "\"").toList()) + "]}";
        long baseline = settledHeap();
        Map<Integer, AtomicInteger> statuses = new ConcurrentHashMap<>();
        AtomicInteger unanswered = new AtomicInteger();

        // when
        Semaphore inFlight = new Semaphore(CONCURRENCY);
        try (ExecutorService clients = Executors.newVirtualThreadPerTaskExecutor()) {
            for (int i = 0; i < REQUESTS; i++) {
                int n = i;
                inFlight.acquire();
                clients.submit(() -> {
                    try {
                        HttpResponse<String> response = postJson("/v1/chat/completions", body(n, experts, allow));
                        statuses.computeIfAbsent(response.statusCode(), s -> new AtomicInteger()).incrementAndGet();
                    } catch (RuntimeException e) {
                        unanswered.incrementAndGet(); // a timeout or a dropped connection on the client's side
                    } finally {
                        inFlight.release();
                    }
                });
            }
        }

        // then
        log.info("Soak: {} requests at concurrency {}, {} upstream faults injected, statuses {}", REQUESTS, CONCURRENCY,
                INJECTED.get(), statuses);
        int accounted = statuses.values().stream().mapToInt(AtomicInteger::get).sum();
        assertThat(unanswered).hasValue(0);
        assertThat(accounted).isEqualTo(REQUESTS);
        assertThat(statuses.keySet()).as("statuses %s", statuses).isSubsetOf(DOCUMENTED);
        assertThat(statuses.get(200).get()).as("statuses %s", statuses).isGreaterThan(REQUESTS * 9 / 10);
        assertThat(INJECTED.get()).as("faults were injected").isGreaterThan(REQUESTS / 100);
        await().atMost(Duration.ofSeconds(20)).untilAsserted(() ->
                assertThat(settledHeap()).isLessThanOrEqualTo(baseline + 64L * 1024 * 1024));
    }

    private static String body(int n, List<Expert> experts, String allow) {
        boolean stream = n % 2 == 0;
        String question = "Can my landlord keep my deposit for wear and tear? (case " + n + ")";
        String head = "{\"stream\": " + stream + ", \"messages\": [{\"role\": \"user\", \"content\": \"" + question + "\"}], ";
        return switch (n % 3) {
            case 0 -> head + "\"model\": \"" + experts.get(n % experts.size()).id() + "\"}";
            case 1 -> head + "\"model\": \"consilium/route\", \"consilium\": {\"experts\": " + allow + "}}";
            default -> head + "\"model\": \"consilium/auto\", \"consilium\": {\"k\": 2, \"fusion\": \"vote\", \"experts\": "
                    + allow + "}}";
        };
    }

    /** Heap in use after collection; the JVM may need a few nudges before it gives back what it can. */
    private static long settledHeap() {
        MemoryMXBean memory = ManagementFactory.getMemoryMXBean();
        for (int i = 0; i < 3; i++) {
            System.gc();
        }
        return memory.getHeapMemoryUsage().getUsed();
    }
}
