package dev.crmsync;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.classes;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static org.assertj.core.api.Assertions.assertThat;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.lang.ArchRule;
import com.tngtech.archunit.lang.EvaluationResult;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Keeps the layers of DESIGN.md section 3 apart: the model, mapping, engine and ports are pure Java, free of HTTP,
 * SQL and framework types; adapters never reach into the app; {@code internal} packages stay private to their
 * parent. The rules are written over a package root, so the same rules are shown to catch a violation in a
 * fixture that breaks them on purpose.
 */
class LayeringTest {

    private static final String[] FRAMEWORKS = {"java.net.http..", "java.sql..", "javax.sql..", "io.javalin..",
        "tools.jackson..", "com.fasterxml..", "org.jdbi..", "org.flywaydb..", "jakarta..", "org.eclipse.jetty..",
        "picocli.."};

    static List<ArchRule> rules(String root) {
        String model = root + ".model..";
        String mapping = root + ".mapping..";
        String engine = root + ".engine..";
        String ports = root + ".ports..";
        return List.of(
                classes().that().resideInAPackage(model).should().onlyDependOnClassesThat()
                        .resideInAnyPackage("java.lang..", "java.util..", "java.time..", "java.math..",
                                "java.security..", "java.nio.charset..", "java.text..", "java.io..", model)
                        .because("the model is pure values").allowEmptyShould(true),
                classes().that().resideInAPackage(mapping).should().onlyDependOnClassesThat()
                        .resideInAnyPackage("java.lang..", "java.util..", "java.time..", "java.math..",
                                "java.text..", model, mapping)
                        .because("mapping is pure functions over the model").allowEmptyShould(true),
                classes().that().resideInAPackage(ports).should().onlyDependOnClassesThat()
                        .resideInAnyPackage("java.lang..", "java.util..", "java.time..", model, ports)
                        .because("ports are interfaces and values").allowEmptyShould(true),
                noClasses().that().resideInAnyPackage(engine, model, mapping, ports).should()
                        .dependOnClassesThat().resideInAnyPackage(FRAMEWORKS)
                        .because("the inner layers name no back-end").allowEmptyShould(true),
                noClasses().that().resideInAnyPackage(engine, model, mapping, ports).should()
                        .dependOnClassesThat().resideInAnyPackage(root + ".adapters..", root + ".app..")
                        .because("dependencies point inwards").allowEmptyShould(true),
                noClasses().that().resideInAPackage(root + ".adapters..").should()
                        .dependOnClassesThat().resideInAPackage(root + ".app..")
                        .because("adapters are wired by the app, not the other way round").allowEmptyShould(true));
    }

    @Test
    void shouldKeepTheLayersApart() {
        JavaClasses production = new ClassFileImporter()
                // Not Predefined.DO_NOT_INCLUDE_TESTS: it expects target/, and the build directory is configurable.
                .withImportOption(location -> !location.contains("/test-classes/"))
                .importPackages("dev.crmsync");
        assertThat(production.stream().filter(c -> c.getPackageName().startsWith("dev.crmsync.engine"))).isNotEmpty();
        for (ArchRule rule : rules("dev.crmsync")) {
            rule.check(production);
        }
    }

    @Test
    void shouldCatchAModelThatImportsHttpAndAnEngineThatImportsSql() {
        JavaClasses fixture = new ClassFileImporter().importPackages("dev.crmsync.archfixture");

        List<String> violations = rules("dev.crmsync.archfixture").stream()
                .map(rule -> rule.evaluate(fixture))
                .filter(EvaluationResult::hasViolation)
                .flatMap(result -> result.getFailureReport().getDetails().stream())
                .toList();

        assertThat(violations).anyMatch(v -> v.contains("LeakyModel") && v.contains("java.net.http.HttpClient"));
        assertThat(violations).anyMatch(v -> v.contains("SqlEngine") && v.contains("java.sql.Connection"));
    }
}
