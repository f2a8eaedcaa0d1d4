package dev.flinkelt.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/** CPU time and memory of processes, read from Linux /proc (the benchmark's meters). */
final class ProcFs {
    /**
     * Clock ticks per second of /proc/[pid]/stat times (USER_HZ; 100 on every Linux the jar
     * supports).
     */
    static final double TICKS = 100.0;

    private ProcFs() {}

    /**
     * {utime + stime, cutime + cstime} of a process in ticks (its own time, its reaped children's),
     * or null if gone.
     */
    static long[] cpu(long pid) {
        String[] f = statFields(pid);
        if (f == null) {
            return null;
        }
        return new long[] {
            Long.parseLong(f[11]) + Long.parseLong(f[12]),
            Long.parseLong(f[13]) + Long.parseLong(f[14])
        };
    }

    /**
     * Fields after the command name of /proc/[pid]/stat (index 0 = state), or null if the process
     * is gone.
     */
    static String[] statFields(long pid) {
        try {
            String s = Files.readString(Path.of("/proc", String.valueOf(pid), "stat"));
            return s.substring(s.lastIndexOf(')') + 2).trim().split(" ");
        } catch (IOException | RuntimeException e) {
            return null;
        }
    }

    /** Live children of {@code parent}. */
    static List<Long> children(long parent) {
        List<Long> out = new ArrayList<>();
        try (var dirs = Files.list(Path.of("/proc"))) {
            for (Path d : dirs.toList()) {
                String name = d.getFileName().toString();
                if (name.chars().allMatch(Character::isDigit)) {
                    String[] f = statFields(Long.parseLong(name));
                    if (f != null && Long.parseLong(f[1]) == parent) {
                        out.add(Long.parseLong(name));
                    }
                }
            }
        } catch (IOException e) {
            throw new IllegalStateException("cannot list /proc", e);
        }
        return out;
    }

    /**
     * CPU ticks of a process tree: the root's own and reaped children's time plus every live
     * child's own time, minus the live processes in {@code exclude}. A child that ends between two
     * readings moves its time into the root's reaped-children time, so differences of readings stay
     * right.
     */
    static long treeTicks(long root, Set<Long> exclude) {
        long[] r = cpu(root);
        if (r == null) {
            return 0;
        }
        long total = r[0] + r[1];
        for (long child : children(root)) {
            long[] c = cpu(child);
            if (c != null) {
                total += exclude.contains(child) ? 0 : c[0];
            }
        }
        return total;
    }

    /** Peak resident set of a process (VmHWM) in bytes, or 0 if gone. */
    static long peakRss(long pid) {
        return statusKb(pid, "VmHWM:") * 1024;
    }

    /**
     * Proportional set size (shared pages divided among their users) of a process in bytes, or 0 if
     * gone.
     */
    static long pss(long pid) {
        try {
            for (String line :
                    Files.readAllLines(Path.of("/proc", String.valueOf(pid), "smaps_rollup"))) {
                if (line.startsWith("Pss:")) {
                    return Long.parseLong(line.replaceAll("[^0-9]", "")) * 1024;
                }
            }
        } catch (IOException | RuntimeException e) {
            return 0;
        }
        return 0;
    }

    private static long statusKb(long pid, String key) {
        try {
            for (String line :
                    Files.readAllLines(Path.of("/proc", String.valueOf(pid), "status"))) {
                if (line.startsWith(key)) {
                    return Long.parseLong(line.replaceAll("[^0-9]", ""));
                }
            }
        } catch (IOException | RuntimeException e) {
            return 0;
        }
        return 0;
    }
}
