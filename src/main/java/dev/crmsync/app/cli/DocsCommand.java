package dev.crmsync.app.cli;

import dev.crmsync.app.docs.DataflowDocument;
import dev.crmsync.app.docs.DocumentFormat;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code crmsync docs}: the "Webcrm to Customcrm Dataflow" document of a configuration, as Markdown,
 * reStructuredText or an HTML page. It reads only the configuration file and reaches neither system, so it can
 * be run wherever the file is, e.g. to attach the document to a release or a QA ticket.
 *
 * <p>Not threadsafe: picocli fills and calls it on one thread.
 *
 * @see DataflowDocument
 */
@Command(name = "docs", mixinStandardHelpOptions = true,
        description = "Write the Webcrm to Customcrm dataflow document of a configuration: per flow the property "
                + "tables of both directions, the match key, the conflict and delete policies and the link stamps.")
public final class DocsCommand implements Callable<Integer> {

    @Mixin
    ConfigOption config;

    @Option(names = {"-f", "--format"}, paramLabel = "md|rst|html", defaultValue = "md",
            description = "Markdown (md, the default), reStructuredText (rst) or a standalone HTML page (html).")
    String format;

    @Option(names = {"-o", "--output"}, paramLabel = "FILE",
            description = "Write to this file instead of standard output.")
    Path output;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() {
        // The format first: a typo in it should not wait for, or be hidden by, a problem in the configuration.
        DocumentFormat chosen = DocumentFormat.fromConfigName(format);
        String text = DataflowDocument.of(config.loadWithoutCredentials()).render(chosen);
        PrintWriter out = spec.commandLine().getOut();
        if (output == null) {
            out.print(text);
            out.flush();
            return 0;
        }
        try {
            Path parent = output.toAbsolutePath().getParent();
            if (parent != null) {
                Files.createDirectories(parent);
            }
            Files.writeString(output, text, StandardCharsets.UTF_8);
        } catch (IOException e) {
            // Main turns this into "crmsync: …" and the exit status of a wrong command line.
            throw new IllegalArgumentException("cannot write the document to " + output + ": " + e.getMessage(), e);
        }
        out.println("wrote the dataflow document (" + chosen.configName() + ") to " + output);
        out.flush();
        return 0;
    }
}
