package io.consilium.benchmarks;

import com.sun.management.OperatingSystemMXBean;
import java.lang.management.ManagementFactory;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;

/**
 * CPU time per operation over each iteration of a single-threaded benchmark, printed with the load
 * average: on a machine shared with other work, wall-clock latency swings with the neighbours while the
 * CPU an operation costs hardly moves, so alternatives can still be compared. Process CPU time, so that
 * work on other threads (ONNX Runtime's own, the JIT, the collector) counts too.
 */
@State(Scope.Thread)
public class CpuPerOperation {

    private static final OperatingSystemMXBean SYSTEM =
            (OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();

    private long cpuAtStart;
    private long operations;

    @Setup(Level.Iteration)
    public void start() {
        operations = 0;
        cpuAtStart = SYSTEM.getProcessCpuTime();
    }

    /** Counts one operation; call it once per benchmark invocation. */
    public void count() {
        operations++;
    }

    @TearDown(Level.Iteration)
    public void report() {
        double millis = (SYSTEM.getProcessCpuTime() - cpuAtStart) / 1e6;
        System.out.printf("%n  CPU per operation %.3f ms over %d operations, load average %.2f%n",
                millis / Math.max(1, operations), operations, SYSTEM.getSystemLoadAverage());
    }
}
