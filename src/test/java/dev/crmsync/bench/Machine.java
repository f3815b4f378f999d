package dev.crmsync.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Objects;

/**
 * The machine a benchmark ran on, as the report states it beside every figure: the figures mean little without
 * it.
 *
 * @param cores     processors available to the JVM
 * @param heapMb    the benchmark JVM's maximum heap, in MiB
 * @param jdk       the JDK's vendor and version
 * @param os        the operating system's name, version and architecture
 * @param cpu       the processor's model name, or {@code unknown}
 */
public record Machine(int cores, long heapMb, String jdk, String os, String cpu) {

    public Machine {
        Objects.requireNonNull(jdk, "jdk");
        Objects.requireNonNull(os, "os");
        Objects.requireNonNull(cpu, "cpu");
    }

    /**
     * @return the machine this JVM runs on
     */
    public static Machine current() {
        return new Machine(Runtime.getRuntime().availableProcessors(), Runtime.getRuntime().maxMemory() >> 20,
                System.getProperty("java.vendor") + " " + System.getProperty("java.runtime.version"),
                System.getProperty("os.name") + " " + System.getProperty("os.version") + " "
                        + System.getProperty("os.arch"), cpuModel());
    }

    /**
     * @return one line for a table cell, e.g. {@code 2 cores, 6144 MB heap, JDK Eclipse Adoptium 25+36, Linux 6.1 amd64}
     */
    public String summary() {
        return cores + " cores, " + heapMb + " MB heap, JDK " + jdk + ", " + os;
    }

    private static String cpuModel() {
        try {
            return Files.readAllLines(Path.of("/proc/cpuinfo")).stream()
                    .filter(line -> line.startsWith("model name"))
                    .map(line -> line.substring(line.indexOf(':') + 1).strip())
                    .findFirst().orElse("unknown");
        } catch (IOException | RuntimeException e) {
            return "unknown";
        }
    }
}
