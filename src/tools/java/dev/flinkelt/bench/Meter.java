package dev.flinkelt.bench;

import java.util.List;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Measures the CPU time of everything a contender uses over a window: its JVM (if it has one) and
 * both PostgreSQL servers (postmaster + backends, minus the benchmark's own sessions), and the peak
 * memory: the JVM's peak resident set and the servers' largest summed proportional set size (shared
 * buffers counted once), sampled twice a second.
 */
final class Meter implements AutoCloseable {
    private final List<Long> servers;
    private final Set<Long> exclude;
    private volatile Process jvm;
    private final long[] serverStart;
    private volatile long jvmStart;
    private final long reapedStart;
    private final long startNanos = System.nanoTime();
    private final AtomicLong serverPss = new AtomicLong();
    private final AtomicLong jvmHwm = new AtomicLong();
    private final Thread sampler;
    private volatile boolean running = true;

    /** Starts the window over the servers' process trees ({@code servers}: postmaster pids). */
    Meter(List<Long> servers, Set<Long> exclude) {
        this.servers = servers;
        this.exclude = exclude;
        this.serverStart = servers.stream().mapToLong(s -> ProcFs.treeTicks(s, exclude)).toArray();
        this.reapedStart = ProcFs.cpu(ProcessHandle.current().pid())[1];
        this.sampler = new Thread(this::sample, "bench-meter");
        sampler.setDaemon(true);
        sampler.start();
    }

    /**
     * Counts the contender's JVM (a child of this process) from now on, or from its start if it
     * just started.
     */
    void watch(Process process, boolean justStarted) {
        this.jvmStart = justStarted ? 0 : ownTicks(process.pid());
        this.jvm = process;
    }

    private static long ownTicks(long pid) {
        long[] c = ProcFs.cpu(pid);
        return c == null ? 0 : c[0];
    }

    private void sample() {
        while (running) {
            long pss = 0;
            for (long s : servers) {
                pss += ProcFs.pss(s);
                for (long c : ProcFs.children(s)) {
                    pss += ProcFs.pss(c);
                }
            }
            serverPss.accumulateAndGet(pss, Math::max);
            if (jvm != null && jvm.isAlive()) {
                jvmHwm.accumulateAndGet(ProcFs.peakRss(jvm.pid()), Math::max);
            }
            try {
                Thread.sleep(500);
            } catch (InterruptedException e) {
                return;
            }
        }
    }

    /** Ends the window (call before stopping the contender's JVM). */
    Reading stop() {
        close();
        double seconds = (System.nanoTime() - startNanos) / 1e9;
        double[] serverCpu = new double[servers.size()];
        for (int i = 0; i < servers.size(); i++) {
            serverCpu[i] =
                    (ProcFs.treeTicks(servers.get(i), exclude) - serverStart[i]) / ProcFs.TICKS;
        }
        long jvmEnd;
        if (jvm != null && jvm.isAlive()) {
            jvmHwm.accumulateAndGet(ProcFs.peakRss(jvm.pid()), Math::max);
            jvmEnd = ownTicks(jvm.pid()) - jvmStart;
        } else {
            // a JVM that ended by itself was reaped by this process: its time is in our children's
            // time
            jvmEnd = ProcFs.cpu(ProcessHandle.current().pid())[1] - reapedStart;
        }
        return new Reading(
                seconds,
                jvmEnd / ProcFs.TICKS,
                serverCpu[0],
                serverCpu[1],
                jvmHwm.get(),
                serverPss.get());
    }

    @Override
    public void close() {
        running = false;
        sampler.interrupt();
    }

    /**
     * CPU seconds of the contender's JVM and of the source and target servers (in the order given)
     * over {@code seconds} of wall time; peak memory in bytes.
     */
    record Reading(
            double seconds,
            double jvmCpu,
            double sourceCpu,
            double targetCpu,
            long jvmPeakRss,
            long serverPeakPss) {
        double cpu() {
            return jvmCpu + sourceCpu + targetCpu;
        }
    }
}
