package dev.crmsync.app.simulate.customcrm;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

class MergePatchTest {

    /** RFC 7396, appendix A: target, patch, result. */
    private static final String[][] RFC_EXAMPLES = {
            {"{'a':'b'}", "{'a':'c'}", "{'a':'c'}"},
            {"{'a':'b'}", "{'b':'c'}", "{'a':'b','b':'c'}"},
            {"{'a':'b'}", "{'a':null}", "{}"},
            {"{'a':'b','b':'c'}", "{'a':null}", "{'b':'c'}"},
            {"{'a':['b']}", "{'a':'c'}", "{'a':'c'}"},
            {"{'a':'c'}", "{'a':['b']}", "{'a':['b']}"},
            {"{'a':{'b':'c'}}", "{'a':{'b':'d','c':null}}", "{'a':{'b':'d'}}"},
            {"{'a':[{'b':'c'}]}", "{'a':[1]}", "{'a':[1]}"},
            {"['a','b']", "['c','d']", "['c','d']"},
            {"{'a':'b'}", "['c']", "['c']"},
            {"{'a':'foo'}", "null", "null"},
            {"{'a':'foo'}", "'bar'", "'bar'"},
            {"{'e':null}", "{'a':1}", "{'e':null,'a':1}"},
            {"[1,2]", "{'a':'b','c':null}", "{'a':'b'}"},
            {"{}", "{'a':{'bb':{'ccc':null}}}", "{'a':{'bb':{}}}"},
    };

    @Test
    void shouldGiveTheResultsOfEveryExampleInRfc7396() {
        for (String[] example : RFC_EXAMPLES) {
            // Given
            JsonNode target = json(example[0]);
            JsonNode patch = json(example[1]);
            String targetBefore = target.toString();

            // When
            JsonNode result = MergePatch.apply(target, patch);

            // Then
            assertThat(result).as("%s patched with %s", example[0], example[1]).isEqualTo(json(example[2]));
            assertThat(target.toString()).as("the target is left alone").isEqualTo(targetBefore);
        }
    }

    private static JsonNode json(String singleQuoted) {
        return CustomcrmJson.MAPPER.readTree(CustomcrmTestClient.body(singleQuoted));
    }
}
