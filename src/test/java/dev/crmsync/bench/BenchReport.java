package dev.crmsync.bench;

import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import tools.jackson.databind.SerializationFeature;
import tools.jackson.databind.json.JsonMapper;

/**
 * The outcome of one benchmark run, written as {@code BENCHMARKS.md} for people and {@code benchmarks/results.json}
 * for tools. Both carry the same figures; the Markdown adds how each is defined.
 *
 * @param date     when the run started
 * @param wall     how long the whole run took
 * @param machine  where it ran
 * @param command  the command that ran it
 * @param scale    the sizes it ran at ({@code -Dbench.scale})
 * @param figures  the figures, in the order the report lists them
 */
public record BenchReport(Instant date, Duration wall, Machine machine, String command, String scale,
                          List<Figure> figures) {

    private static final JsonMapper JSON = JsonMapper.builder().enable(SerializationFeature.INDENT_OUTPUT).build();
    private static final DateTimeFormatter DAY = DateTimeFormatter.ISO_LOCAL_DATE.withZone(ZoneOffset.UTC);

    public BenchReport {
        Objects.requireNonNull(date, "date");
        Objects.requireNonNull(wall, "wall");
        Objects.requireNonNull(machine, "machine");
        Objects.requireNonNull(command, "command");
        Objects.requireNonNull(scale, "scale");
        figures = List.copyOf(figures);
    }

    /**
     * @param figure a figure of this report
     * @return the command that measures only that figure's suite again, at this run's scale
     */
    public String reproduce(Figure figure) {
        return "mvn -Pbench verify -Dbench.only=" + figure.suite()
                + ("default".equals(scale) ? "" : " -Dbench.scale=" + scale);
    }

    /**
     * @param definitions the document's fixed parts: what comes after the table (how figures are defined, how to
     *                    reproduce), in Markdown
     * @return the whole {@code BENCHMARKS.md}
     */
    public String markdown(String definitions) {
        StringBuilder md = new StringBuilder();
        md.append("# Benchmarks\n\n");
        md.append("Written by `").append(command).append("` on ").append(DAY.format(date))
                .append(" (scale `").append(scale).append("`, the whole run took ").append(duration(wall))
                .append("). Every value below was measured in that run; run it again rather than edit this file.\n\n");
        md.append("Machine: ").append(cell(machine.summary())).append(", CPU ").append(cell(machine.cpu()))
                .append(".\n\n");
        md.append("| figure | goal | measured | status | date | machine | how to reproduce | notes; the reason when a "
                + "goal is missed |\n");
        md.append("|---|---|---|---|---|---|---|---|\n");
        for (Figure f : figures) {
            md.append("| `").append(f.name()).append("` | ").append(cell(f.goal().text())).append(" | ")
                    .append(f.measured() == null ? "not measured" : Goal.format(f.measured()) + " " + f.unit())
                    .append(" | ").append(statusText(f.status())).append(" | ").append(DAY.format(date))
                    .append(" | ").append(cell(machine.summary())).append(" | `").append(reproduce(f))
                    .append("` | ").append(cell(f.notes())).append(" |\n");
        }
        md.append('\n').append(definitions.strip()).append('\n');
        return md.toString();
    }

    /**
     * @return {@code benchmarks/results.json}: the run and its figures, values as numbers (null when not measured)
     */
    public String json() {
        Map<String, Object> root = new LinkedHashMap<>();
        root.put("date", date.toString());
        root.put("wallSeconds", wall.toMillis() / 1000.0);
        root.put("command", command);
        root.put("scale", scale);
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("cores", machine.cores());
        m.put("heapMb", machine.heapMb());
        m.put("jdk", machine.jdk());
        m.put("os", machine.os());
        m.put("cpu", machine.cpu());
        root.put("machine", m);
        List<Map<String, Object>> out = new ArrayList<>();
        for (Figure f : figures) {
            Map<String, Object> one = new LinkedHashMap<>();
            one.put("name", f.name());
            one.put("measured", f.measured());
            one.put("unit", f.unit());
            Map<String, Object> goal = new LinkedHashMap<>();
            goal.put("kind", f.goal().kind().name().toLowerCase(java.util.Locale.ROOT));
            goal.put("target", f.goal().isSet() ? f.goal().target() : null);
            goal.put("text", f.goal().text());
            one.put("goal", goal);
            one.put("status", f.status().name().toLowerCase(java.util.Locale.ROOT));
            one.put("notes", f.notes());
            one.put("definition", f.definition());
            one.put("reproduce", reproduce(f));
            out.add(one);
        }
        root.put("figures", out);
        return JSON.writeValueAsString(root) + "\n";
    }

    private static String statusText(Figure.Status status) {
        return switch (status) {
            case MET -> "met";
            case MISSED -> "**missed**";
            case REPORTED -> "reported";
            case NOT_MEASURED -> "not measured";
        };
    }

    /** A table cell holds one line, and a pipe would end it early. */
    private static String cell(String text) {
        return text.replace("|", "\\|").replace("\r", "").replace("\n", " ");
    }

    private static String duration(Duration d) {
        long s = d.toSeconds();
        return s >= 60 ? (s / 60) + " min " + (s % 60) + " s" : s + " s";
    }
}
