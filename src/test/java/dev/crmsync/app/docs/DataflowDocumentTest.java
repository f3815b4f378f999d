package dev.crmsync.app.docs;

import static org.assertj.core.api.Assertions.assertThat;

import dev.crmsync.app.config.ConfigLoader;
import dev.crmsync.app.config.CrmsyncConfig;
import dev.crmsync.mapping.Direction;
import dev.crmsync.mapping.FieldMapping;
import dev.crmsync.mapping.FlowMapping;
import dev.crmsync.mapping.RecordFilter;
import dev.crmsync.mapping.Transforms;
import dev.crmsync.model.Flow;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.UnaryOperator;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * The dataflow document says what the design's property tables say ({@code design-property-tables.md}, section 1 of
 * DESIGN.md), in both directions, from the running configuration,
 * and each renderer writes it in valid, escaped markup.
 */
class DataflowDocumentTest {

    private static final String MINIMAL = """
            webcrm:    { url: http://127.0.0.1:8081, token: w-token }
            customcrm: { url: http://127.0.0.1:8082, api-key: c-key }
            store:     { url: jdbc:sqlite:crmsync.db }
            """;
    private static final String WEBCRM_TO_CUSTOMCRM = "Webcrm → Customcrm";
    private static final String CUSTOMCRM_TO_WEBCRM = "Customcrm → Webcrm";
    private static final Pattern DESIGN_HEADING = Pattern.compile("### Webcrm (\\w+) <-> Customcrm (\\w+)\\s*");
    private static final Pattern UNESCAPED_PIPE = Pattern.compile("(?<!\\\\)\\|");

    private static CrmsyncConfig config(String extra) {
        return new ConfigLoader(Map.of()).parse(MINIMAL + extra, Path.of("/etc/crmsync"));
    }

    private static String markdown(CrmsyncConfig config) {
        return DataflowDocument.of(config).render(DocumentFormat.MARKDOWN);
    }

    /** The config with one flow's fields changed. */
    private static CrmsyncConfig withFields(CrmsyncConfig config, Flow flow,
                                            UnaryOperator<List<FieldMapping>> change) {
        Map<Flow, FlowMapping> mappings = new EnumMap<>(config.mappings());
        FlowMapping m = mappings.get(flow);
        mappings.put(flow, new FlowMapping(flow, change.apply(new ArrayList<>(m.fields())), m.matchKey(),
                m.webcrmStampProperty(), m.customcrmStampKey()));
        return new CrmsyncConfig(config.webcrm(), config.customcrm(), config.store(), config.sync(), mappings);
    }

    private static List<FieldMapping> replace(List<FieldMapping> fields, String field, FieldMapping with) {
        fields.replaceAll(f -> f.field().equals(field) ? with : f);
        return fields;
    }

    /**
     * The property pairs of the design's tables, per flow section title as the document writes it.
     *
     * @return section title to "webCRM property -> Customcrm property" pairs
     */
    private static Map<String, List<String[]>> designPairs() throws IOException {
        List<String> lines;
        try (InputStream in = DataflowDocumentTest.class.getResourceAsStream("/design-property-tables.md")) {
            lines = new String(in.readAllBytes(), StandardCharsets.UTF_8).lines().toList();
        }
        Map<String, List<String[]>> out = new LinkedHashMap<>();
        List<String[]> current = null;
        for (String line : lines) {
            Matcher heading = DESIGN_HEADING.matcher(line);
            if (heading.matches()) {
                current = new ArrayList<>();
                out.put("Webcrm " + heading.group(1) + " ↔ Customcrm " + heading.group(2), current);
            } else if (line.startsWith("## ") || line.startsWith("### ")) {
                current = null;
            } else if (current != null && line.startsWith("|") && !line.startsWith("|---")
                    && !line.startsWith("| webCRM property")) {
                String[] cells = line.split("\\|");
                // "ProductCustom1 (configurable)": the property is the first word.
                String webcrm = cells[1].strip().replaceAll("\\s*\\(.*\\)$", "");
                current.add(new String[] {webcrm, cells[2].strip()});
            }
        }
        return out;
    }

    /**
     * Reads the Markdown's tables back: section title, then sub-section title, then rows of unescaped cells.
     */
    private static Map<String, Map<String, List<List<String>>>> tables(String markdown) {
        Map<String, Map<String, List<List<String>>>> out = new LinkedHashMap<>();
        String section = null;
        String sub = null;
        for (String line : markdown.split("\n")) {
            if (line.startsWith("## ")) {
                section = line.substring(3).strip();
                sub = null;
            } else if (line.startsWith("### ")) {
                sub = line.substring(4).strip();
            } else if (line.startsWith("|") && section != null && sub != null) {
                String inner = line.strip().substring(1, line.strip().length() - 1);
                List<String> cells = UNESCAPED_PIPE.splitAsStream(inner)
                        .map(c -> c.strip().replaceAll("\\\\(.)", "$1")).toList();
                if (cells.getFirst().equals("source property") || cells.getFirst().matches("-+")) {
                    continue;
                }
                out.computeIfAbsent(section, k -> new LinkedHashMap<>())
                        .computeIfAbsent(sub, k -> new ArrayList<>()).add(cells);
            }
        }
        return out;
    }

    private static List<String> pairs(List<List<String>> rows) {
        return rows == null ? List.of() : rows.stream().map(r -> r.get(0) + " -> " + r.get(1)).toList();
    }

    @Test
    void shouldListEveryPropertyPairOfTheDesignInBothDirections() throws IOException {
        // Given
        Map<String, List<String[]>> design = designPairs();

        // When
        Map<String, Map<String, List<List<String>>>> tables = tables(markdown(config("")));

        // Then
        assertThat(design).hasSize(3);
        design.forEach((section, rows) -> {
            assertThat(rows).as(section).isNotEmpty();
            assertThat(tables).as("the document's sections").containsKey(section);
            List<String> forward = pairs(tables.get(section).get(WEBCRM_TO_CUSTOMCRM));
            List<String> backward = pairs(tables.get(section).get(CUSTOMCRM_TO_WEBCRM));
            for (String[] pair : rows) {
                assertThat(forward).as(section + ", " + WEBCRM_TO_CUSTOMCRM).contains(pair[0] + " -> " + pair[1]);
                assertThat(backward).as(section + ", " + CUSTOMCRM_TO_WEBCRM).contains(pair[1] + " -> " + pair[0]);
            }
        });
    }

    @Test
    void shouldFillTypesAndNotesFromTheTransforms() {
        Map<String, Map<String, List<List<String>>>> tables = tables(markdown(config("")));

        Map<String, List<List<String>>> persons = tables.get("Webcrm Persons ↔ Customcrm Contact");
        assertThat(persons.get(WEBCRM_TO_CUSTOMCRM))
                .contains(List.of("PersonOrganisationId", "customer_id", "reference → Customer",
                        "translated through the organisations links"))
                .contains(List.of("PersonBirthday", "birthday", "date", "date <-> date-time at midnight"))
                .contains(List.of("PersonEmail", "email", "string", "first-link match key (trimmed, lower case)"));
        assertThat(persons.get(CUSTOMCRM_TO_WEBCRM))
                .contains(List.of("customer_id", "PersonOrganisationId", "reference → Organisation",
                        "translated through the organisations links"))
                .contains(List.of("birthday", "PersonBirthday", "date-time", "date <-> date-time at midnight"))
                .anySatisfy(row -> assertThat(row).startsWith("status", "PersonStatus", "string")
                        .last().asString().contains("value map").contains("Active=active"));
        Map<String, List<List<String>>> organisations = tables.get("Webcrm Organisations ↔ Customcrm Customer");
        assertThat(organisations.get(WEBCRM_TO_CUSTOMCRM)).anySatisfy(row -> assertThat(row)
                .startsWith("OrganisationCountry", "address.country_code", "string")
                .last().asString().contains("ISO 3166-1 alpha-2"));
        assertThat(tables.get("Webcrm Products ↔ Customcrm Product").get(WEBCRM_TO_CUSTOMCRM))
                .contains(List.of("ProductPrice", "price", "decimal", ""))
                .contains(List.of("ProductProductYear", "year", "integer", ""))
                .contains(List.of("ProductPersonId", "contact_id", "reference → Contact",
                        "translated through the persons links"));
    }

    @Test
    void shouldSayTheChecklistSentencesOfEveryFlow() {
        String md = markdown(config(""));

        assertThat(md).startsWith("# Webcrm to Customcrm Dataflow\n")
                .contains("Every Webcrm Organisations will be synchronized with a Customcrm Customer.")
                .contains("Every Webcrm Persons will be synchronized with a Customcrm Contact.")
                .contains("Every Webcrm Products will be synchronized with a Customcrm Product.")
                .contains("Once two records are linked, they will be kept in sync whichever side is edited.")
                .contains("Records are written parents first: Customcrm Customer (webCRM Organisation) before "
                        + "Customcrm Contact (webCRM Person) before Customcrm Product (webCRM Product)");
        assertThat(md.split("\n")).filteredOn(l -> l.equals("| source property | target property | "
                + "target data type | notes |") || l.startsWith("| source property ")).hasSize(6);
    }

    @Test
    void shouldStateTheMatchKeysConflictAndDeletePoliciesAndStamps() {
        String md = markdown(config(""));

        assertThat(md)
                .contains("Match key: vat\\_number (webCRM OrganisationVatNumber, Customcrm vat\\_number), "
                        .replace("\\_", "_") + "normalised: no spaces, dots or dashes, upper case.")
                .contains("Match key: email (webCRM PersonEmail, Customcrm email), normalised: trimmed, lower case.")
                .contains("Match key: none: records are always created on the other side.")
                .contains("Conflict policy: newest-wins.")
                .contains("at most 2 s apart are a tie, which webCRM wins (clock tolerance 2 s, tie breaker webCRM)")
                .contains("Empty values never overwrite (empty-overwrites: false)")
                .contains("Delete policy: propagate.")
                .contains("A Customer deleted in Customcrm: webCRM cannot delete Organisations through its API, so "
                        + "the link is retired and the webCRM Organisation is left as it is.")
                .contains("A Contact deleted in Customcrm: webCRM cannot delete Persons through its API")
                .contains("An Organisation deleted in webCRM: its Customer is deleted in Customcrm.")
                .contains("A Product deleted in Customcrm: its Product is deleted in webCRM.")
                .contains("more than 20 % of this flow's links, and at least 3")
                .contains("in webCRM in the Organisation field OrganisationCustom5 (webCRM stamp field), in "
                        + "Customcrm under the key crmsync of external\\_ids (Customcrm stamp key)"
                        .replace("\\_", "_"))
                .contains("PersonCustom5").contains("ProductCustom5");
    }

    @Test
    void shouldFollowTheConfiguredPolicies() {
        String md = markdown(config("""
                sync:
                  conflict-policy: manual
                  clock-tolerance: 1m
                  tie-breaker: customcrm
                  empty-overwrites: true
                  delete-threshold: 0.125
                  flows:
                    products: { delete: retire, webcrm-stamp-field: ProductCustom9 }
                """));

        assertThat(md)
                .contains("Conflict policy: manual.")
                .contains("crmsync conflicts --resolve ID --keep webcrm\\|customcrm")
                .contains("The clock tolerance (1 min) and tie breaker (Customcrm) apply under newest-wins only.")
                .contains("Empty values overwrite (empty-overwrites: true)")
                .contains("Delete policy: retire-link.")
                .contains("A Product deleted in Customcrm: the link is retired and the webCRM Product is left as it is.")
                .contains("more than 12.5 % of this flow's links")
                .contains("ProductCustom9").doesNotContain("ProductCustom5");
    }

    @Test
    void shouldNameTheFilterOfASelectiveSync() {
        Map<Flow, FlowMapping> mappings = new EnumMap<>(config("").mappings());
        mappings.put(Flow.ORGANISATIONS, mappings.get(Flow.ORGANISATIONS).withFilter(new RecordFilter(
                Map.of("OrganisationType", Set.of("Customer", "Partner")), Map.of("type", Set.of("customer")),
                true)));
        CrmsyncConfig base = config("");

        String md = markdown(new CrmsyncConfig(base.webcrm(), base.customcrm(), base.store(), base.sync(),
                mappings));

        assertThat(md).contains("Selective sync: only records that pass this flow's filter take part (values "
                        + "compared without regard to case): in webCRM OrganisationType is customer or partner; in "
                        + "Customcrm type is customer. A linked record that leaves the filter has the other record "
                        + "deleted (on-leave: delete); webCRM cannot delete Organisations through its API, so there "
                        + "the link is retired instead; one that passes again is linked again.")
                .containsOnlyOnce("Selective sync:");
    }

    @Test
    void shouldShowAOneWayFieldInItsDirectionOnly() {
        // Given industry owned by webCRM
        CrmsyncConfig config = withFields(config(""), Flow.ORGANISATIONS, fields -> replace(fields, "industry",
                new FieldMapping("industry", "OrganisationIndustry", Transforms.text(), "industry",
                        Transforms.text(), Direction.WEBCRM_TO_CUSTOMCRM, null)));

        // When
        Map<String, List<List<String>>> organisations = tables(markdown(config))
                .get("Webcrm Organisations ↔ Customcrm Customer");

        // Then
        assertThat(organisations.get(WEBCRM_TO_CUSTOMCRM)).contains(List.of("OrganisationIndustry", "industry",
                "string", "one-way: webCRM owns this field, Customcrm edits are overwritten"));
        assertThat(pairs(organisations.get(CUSTOMCRM_TO_WEBCRM)))
                .doesNotContain("industry -> OrganisationIndustry")
                .contains("name -> OrganisationName")
                .hasSize(pairs(organisations.get(WEBCRM_TO_CUSTOMCRM)).size() - 1);
    }

    @Test
    void shouldEscapeMarkupInTheHtmlPage() {
        // Given a value map whose values look like markup
        CrmsyncConfig config = withFields(config(""), Flow.ORGANISATIONS, fields -> replace(fields, "type",
                FieldMapping.both("type", "OrganisationType", Transforms.valueMap(Map.of("R&D <intern>", "rnd")),
                        "type", Transforms.text())));

        // When
        String html = DataflowDocument.of(config).render(DocumentFormat.HTML);

        // Then
        assertThat(html).startsWith("<!DOCTYPE html>").contains("<meta charset=\"utf-8\">")
                .contains("<title>Webcrm to Customcrm Dataflow</title>").contains("<style>")
                .contains("<h1>Webcrm to Customcrm Dataflow</h1>")
                .contains("<h2>Webcrm Organisations ↔ Customcrm Customer</h2>")
                .contains("<th>source property</th><th>target property</th><th>target data type</th><th>notes</th>")
                .contains("<td>OrganisationType</td><td>type</td><td>string</td><td>value map {R&amp;D &lt;intern&gt;=rnd}</td>")
                .contains("date &lt;-&gt; date-time at midnight")
                .doesNotContain("R&D").doesNotContain("<intern>")
                .endsWith("</html>\n");
        assertThat(count(html, "<table>")).isEqualTo(6).isEqualTo(count(html, "</table>"));
        assertThat(count(html, "<section>")).isEqualTo(count(html, "</section>"));
    }

    @Test
    void shouldKeepMarkdownTablesWholeWhenAValueHoldsAPipe() {
        CrmsyncConfig config = withFields(config(""), Flow.ORGANISATIONS, fields -> replace(fields, "type",
                FieldMapping.both("type", "OrganisationType", Transforms.valueMap(Map.of("A|B *x*", "ab")),
                        "type", Transforms.text())));

        Map<String, List<List<String>>> organisations = tables(markdown(config))
                .get("Webcrm Organisations ↔ Customcrm Customer");

        assertThat(organisations.get(WEBCRM_TO_CUSTOMCRM))
                .contains(List.of("OrganisationType", "type", "string", "value map {A|B *x*=ab}"))
                .allSatisfy(row -> assertThat(row).hasSize(4));
    }

    @Test
    void shouldRenderRstWithAlignedGridTablesAndFullUnderlines() {
        // Given a value that needs escaping and has to stay aligned
        CrmsyncConfig config = withFields(config(""), Flow.ORGANISATIONS, fields -> replace(fields, "type",
                FieldMapping.both("type", "OrganisationType", Transforms.valueMap(Map.of("A|B *x*_", "ab")),
                        "type", Transforms.text())));

        // When
        String rst = DataflowDocument.of(config).render(DocumentFormat.RST);
        String[] lines = rst.split("\n");

        // Then every table's lines are equally wide, and start and end with a border
        List<List<String>> tables = new ArrayList<>();
        List<String> table = null;
        for (String line : lines) {
            if (line.startsWith("+") || line.startsWith("|")) {
                if (table == null) {
                    table = new ArrayList<>();
                    tables.add(table);
                }
                table.add(line);
            } else {
                table = null;
            }
        }
        assertThat(tables).hasSize(6);
        for (List<String> t : tables) {
            assertThat(t.getFirst()).startsWith("+-").endsWith("-+");
            assertThat(t.getLast()).startsWith("+-").endsWith("-+");
            assertThat(t).filteredOn(l -> l.startsWith("+=")).hasSize(1);
            int width = t.getFirst().codePointCount(0, t.getFirst().length());
            assertThat(t).allSatisfy(l -> assertThat(l.codePointCount(0, l.length())).as(l).isEqualTo(width));
        }
        assertThat(rst).contains("| value map {A\\|B \\*x\\*\\_=ab} ");
        // and every heading is underlined to its length
        assertThat(lines[0]).isEqualTo("=".repeat("Webcrm to Customcrm Dataflow".length()));
        assertThat(lines[1]).isEqualTo("Webcrm to Customcrm Dataflow");
        assertThat(lines[2]).isEqualTo(lines[0]);
        int headings = 0;
        for (int i = 4; i < lines.length; i++) {
            if (!lines[i].isEmpty() && lines[i].matches("([-~^])\\1*") && !lines[i - 1].isEmpty()) {
                headings++;
                assertThat(lines[i].length()).as(lines[i - 1])
                        .isEqualTo(lines[i - 1].codePointCount(0, lines[i - 1].length()));
            }
        }
        assertThat(headings).isEqualTo(3 * 7);
        assertThat(rst).contains("Webcrm Organisations ↔ Customcrm Customer\n"
                + "-".repeat("Webcrm Organisations ↔ Customcrm Customer".length()) + "\n");
        assertThat(rst).contains("Webcrm → Customcrm\n~~~~~~~~~~~~~~~~~~\n");
    }

    @Test
    void shouldEscapeMarkupAtTheStartOfALine() {
        assertThat(RstRenderer.escape("1. not a list")).isEqualTo("\\1. not a list");
        assertThat(RstRenderer.escape("- not a bullet")).isEqualTo("\\- not a bullet");
        assertThat(RstRenderer.escape("* star")).isEqualTo("\\* star");
        assertThat(RstRenderer.escape("vat_number and _x and y_")).isEqualTo("vat_number and \\_x and y\\_");
        assertThat(RstRenderer.escape("ends with::")).isEqualTo("ends with:\\:");
        assertThat(MarkdownRenderer.escape("# no heading")).isEqualTo("\\# no heading");
        assertThat(MarkdownRenderer.escape("1. no list")).isEqualTo("1\\. no list");
        assertThat(MarkdownRenderer.escape("vat_number <-> <b> &amp; R&D")).isEqualTo("vat_number <-> \\<b> \\&amp; R&D");
    }

    private static int count(String text, String part) {
        return text.split(Pattern.quote(part), -1).length - 1;
    }
}
