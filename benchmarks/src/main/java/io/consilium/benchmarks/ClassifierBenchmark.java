package io.consilium.benchmarks;

import io.consilium.profiler.ClassifierSettings;
import io.consilium.profiler.QueryClassifier;
import io.consilium.profiler.SentenceEncoder;
import io.consilium.profiler.SkillClassifiers;
import io.consilium.profiler.SkillVector;
import io.consilium.profiler.TaxonomyService;
import io.consilium.profiler.UncertaintyThresholds;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Threads;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Latency and throughput of the built-in classifier on short queries (about 20 words), tokenisation
 * included, with and without the result cache, for a few ONNX Runtime thread settings.
 *
 * <p>Run: {@code ./mvnw -q -pl benchmarks -am package -DskipTests && "$JAVA_HOME/bin/java" -jar
 * benchmarks/target/benchmarks.jar ClassifierBenchmark}
 */
@State(Scope.Benchmark)
@Fork(value = 1, jvmArgsAppend = {"-Xmx1g"})
@Warmup(iterations = 3, time = 3)
@Measurement(iterations = 5, time = 4)
public class ClassifierBenchmark {

    /** Twenty-odd-word questions of different skills, so no result is reused by accident. */
    private static final List<String> QUERIES = List.of(
            "I am revising for my exam and cannot see why the derivative of x squared times sine x needs the product rule",
            "My landlord kept my whole deposit after I moved out even though the flat was clean, can I take him to court",
            "Write a Python function that reads a large CSV file line by line and returns the average of one column",
            "What caused the collapse of the Western Roman Empire and how long did the decline actually take historians say",
            "Can you translate this short note into polite Japanese for my host family, thanking them for the dinner yesterday",
            "How do I calculate the present value of a bond that pays a five percent coupon for ten years",
            "Why does my Postgres query get slower when the table grows even though I added an index on the column",
            "I keep feeling anxious before every meeting at work and my heart races, what can I do to calm down",
            "Explain in simple terms how vaccines train the immune system and why some of them need booster shots later",
            "Give me a short bedtime story about a brave little fox who gets lost in the snowy forest at night");

    @Param({"1", "2"})
    public int intraOpThreads;

    private SentenceEncoder encoder;
    private QueryClassifier uncached;
    private QueryClassifier cached;
    private int next;

    @Setup(Level.Trial)
    public void setUp() {
        ClassifierSettings settings = new ClassifierSettings(96, 64, intraOpThreads, 10_000, UncertaintyThresholds.DEFAULTS);
        encoder = SkillClassifiers.miniLm(settings);
        TaxonomyService taxonomy = new TaxonomyService(SkillClassifiers.inMemoryStore());
        uncached = SkillClassifiers.builtin(encoder, taxonomy, settings);
        cached = SkillClassifiers.cached(uncached, settings.cacheSize());
        QUERIES.forEach(cached::classify);
    }

    @TearDown(Level.Trial)
    public void tearDown() {
        encoder.close();
    }

    private String nextQuery() {
        next = (next + 1) % QUERIES.size();
        return QUERIES.get(next);
    }

    @Benchmark
    @BenchmarkMode(Mode.SampleTime)
    @OutputTimeUnit(TimeUnit.MILLISECONDS)
    public SkillVector classifyShortQuery() {
        return uncached.classify(nextQuery());
    }

    @Benchmark
    @BenchmarkMode(Mode.Throughput)
    @OutputTimeUnit(TimeUnit.SECONDS)
    @Threads(2)
    public SkillVector classifyThroughputTwoThreads() {
        return uncached.classify(QUERIES.get((int) (Thread.currentThread().threadId() % QUERIES.size())));
    }

    @Benchmark
    @BenchmarkMode(Mode.SampleTime)
    @OutputTimeUnit(TimeUnit.MICROSECONDS)
    public SkillVector cacheHit() {
        return cached.classify(nextQuery());
    }
}
