package io.consilium.benchmarks;

import io.consilium.profiler.ClassifierSettings;
import io.consilium.profiler.QueryClassifier;
import io.consilium.profiler.SentenceEncoder;
import io.consilium.profiler.SkillClassifiers;
import io.consilium.profiler.SkillVector;
import io.consilium.profiler.TaxonomyService;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
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
 * Latency and throughput of the built-in classifier, tokenisation included: on short queries (about 20
 * words), on requests of about 200 tokens (the budget case: p50 at most 8 ms, p99 at most 20 ms), and
 * with the result cache; alternatives (windows, ONNX Runtime threads) side by side through parameters. The
 * single-threaded latency benchmarks also print the CPU time per operation and the load average of each
 * iteration.
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

    /** Multi-paragraph requests of about 200 tokens each, their question at the end, as real traffic has them. */
    private static final List<String> LONG_REQUESTS = List.of(
            "I manage a small team that maintains the billing service of a mid-sized online shop. Last quarter we"
                    + " moved from a single virtual machine to containers on a managed Kubernetes cluster, and since then"
                    + " our nightly invoice job sometimes takes three times as long as it used to. Nothing in the code"
                    + " changed. The job reads about two million rows from PostgreSQL, computes totals per customer and"
                    + " writes PDF files to object storage. The cluster has three nodes with four cores each, and the job"
                    + " runs as a single pod with a memory limit of two gigabytes that we copied from the old machine's"
                    + " settings. CPU on the nodes looks low, but the database shows many idle connections during the run,"
                    + " and the pods restart now and then with exit code 137.\n\nWhat are the most likely causes, in order,"
                    + " and which measurements should I take first to tell them apart?",
            "My grandmother kept a diary during the years her village was occupied, and I am translating and"
                    + " annotating it for the family. Most entries are about food, the weather and neighbours, but several"
                    + " mention requisitions, a curfew, a school that was closed and a bridge that was blown up the night"
                    + " before the soldiers left. The dates run from the autumn of 1942 to the spring of 1945 and the"
                    + " village is in the north of Italy, not far from the Po river. Some entries use dialect words and"
                    + " abbreviations I cannot place, and a few pages are missing, so the context matters more than"
                    + " usual.\n\nCould you explain the main phases of the war in that region over those years, who"
                    + " controlled the area when, and what daily life under occupation and during the partisan war was"
                    + " like, so I can write short notes for each entry?",
            "For a physics outreach evening at our library I am building a demonstration with a pendulum made of"
                    + " a heavy steel ball on a two metre wire, hung from the ceiling of the hall. Visitors will pull it to"
                    + " one side and let it go, and I would like to put a small sensor at the bottom to measure how fast"
                    + " the ball passes. I also want to show that the period hardly depends on how far it is pulled, and"
                    + " then show where that stops being true. The audience will be mixed, from primary school children to"
                    + " retired engineers, so I want numbers I can trust and explain in simple words on a poster.\n\nWhat"
                    + " speed should I expect at the bottom for a release from thirty centimetres higher, what period"
                    + " should the pendulum have, and at what amplitude does the small-angle approximation start to fail"
                    + " noticeably?",
            "Our company is about to sign a three year lease for a new office, and the landlord's draft contract"
                    + " has a clause that lets him raise the rent every year by an amount he chooses, another that makes us"
                    + " responsible for all repairs including the roof and the heating system, and a break clause that only"
                    + " he can use. Our office manager says these are normal, but our previous lease was very different and"
                    + " nobody on the team has a legal background. The landlord wants an answer by the end of the month and"
                    + " has hinted that another tenant is interested in the space. We are a company of twenty people in"
                    + " England.\n\nWhich of these clauses are unusual or risky for a tenant, what is usually negotiated"
                    + " instead, and at what point should we bring in a solicitor rather than negotiate ourselves?");

    /** ONNX Runtime threads per inference ({@code -p intraOpThreads=1,2} to compare). */
    @Param({"1"})
    public int intraOpThreads;

    /**
     * What is read of a long input: {@code HEAD+TAIL} tokens from its start and its end, followed by
     * {@code -content} when filler words are left out first. The value here is the service's default; others,
     * e.g. {@code -p window=32+64,8+56-content}, for comparison in the same run.
     */
    @Param({"32+64"})
    public String window;

    /**
     * The shorter window a long input is read through first ({@code HEAD+TAIL}, {@code -content} as above),
     * then {@code /N} for the tokens of its opening read when that is uncertain, or {@code off}; the default is
     * the service's: {@code -p firstReading=8+56-content/40,off} compares.
     */
    @Param({"8+56-content/40"})
    public String firstReading;

    private static final Pattern WINDOW = Pattern.compile("(\\d+)\\+(\\d+)(-content)?");

    private SentenceEncoder encoder;
    private QueryClassifier uncached;
    private QueryClassifier cached;
    private int next;

    @Setup(Level.Trial)
    public void setUp() {
        ClassifierSettings settings = settings(window, firstReading, intraOpThreads);
        encoder = SkillClassifiers.miniLm(settings);
        TaxonomyService taxonomy = new TaxonomyService(SkillClassifiers.inMemoryStore());
        uncached = SkillClassifiers.builtin(encoder, taxonomy, settings);
        cached = SkillClassifiers.cached(uncached, settings.cacheSize());
        QUERIES.forEach(cached::classify);
    }

    /**
     * Settings for a window and a first reading written {@code HEAD+TAIL} or {@code HEAD+TAIL-content}, the
     * first reading also {@code off}.
     */
    static ClassifierSettings settings(String window, String firstReading, int intraOpThreads) {
        Matcher parts = windowParts(window);
        int head = Integer.parseInt(parts.group(1));
        int tail = Integer.parseInt(parts.group(2));
        ClassifierSettings defaults = ClassifierSettings.DEFAULTS;
        ClassifierSettings.FirstReading first = ClassifierSettings.FirstReading.OFF;
        if (!firstReading.equals("off")) {
            String[] readings = firstReading.split("/");
            Matcher firstParts = windowParts(readings[0]);
            int firstTail = Integer.parseInt(firstParts.group(2));
            first = new ClassifierSettings.FirstReading(Integer.parseInt(firstParts.group(1)) + firstTail, firstTail,
                    firstParts.group(3) != null, readings.length > 1 ? Integer.parseInt(readings[1]) : 40);
        }
        return new ClassifierSettings(head + tail, tail, parts.group(3) != null, first, intraOpThreads,
                defaults.cacheSize(), defaults.thresholds());
    }

    private static Matcher windowParts(String window) {
        Matcher parts = WINDOW.matcher(window);
        if (!parts.matches()) {
            throw new IllegalArgumentException("a window must look like 32+64 or 8+56-content, but was " + window);
        }
        return parts;
    }

    @TearDown(Level.Trial)
    public void tearDown() {
        encoder.close();
    }

    private String nextQuery() {
        next = (next + 1) % QUERIES.size();
        return QUERIES.get(next);
    }

    private String nextLongRequest() {
        next = (next + 1) % LONG_REQUESTS.size();
        return LONG_REQUESTS.get(next);
    }

    @Benchmark
    @BenchmarkMode(Mode.SampleTime)
    @OutputTimeUnit(TimeUnit.MILLISECONDS)
    public SkillVector classifyShortQuery(CpuPerOperation cpu) {
        cpu.count();
        return uncached.classify(nextQuery());
    }

    @Benchmark
    @BenchmarkMode(Mode.SampleTime)
    @OutputTimeUnit(TimeUnit.MILLISECONDS)
    public SkillVector classify200TokenRequest(CpuPerOperation cpu) {
        cpu.count();
        return uncached.classify(nextLongRequest());
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
