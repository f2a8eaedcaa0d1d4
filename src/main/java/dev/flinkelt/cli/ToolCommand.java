package dev.flinkelt.cli;

import java.util.concurrent.Callable;

/**
 * A command of the tools around the product ({@code demo}, {@code bench} in {@code src/tools}),
 * found with {@link java.util.ServiceLoader}: the product never depends on them, and the job jar,
 * which leaves them out, simply does not offer them.
 */
public interface ToolCommand extends Callable<Integer> {}
