package io.slipway.api;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.classes;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

import com.tngtech.archunit.core.domain.JavaClass;
import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.domain.JavaModifier;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.library.dependencies.SliceAssignment;
import com.tngtech.archunit.library.dependencies.SliceIdentifier;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The api-server's layering, kept true by a test: use cases know nothing of HTTP (they throw
 * {@link io.slipway.api.errors.DomainException}s the web layer maps to Heroku's error ids), and the feature
 * packages depend on each other one way only, so a feature can be read and changed from its package down.
 */
class ArchitectureTest {
    private static final String ROOT = "io.slipway.api";
    private static JavaClasses classes;

    @BeforeAll
    static void importClasses() {
        classes = new ClassFileImporter().withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
                .importPackages(ROOT);
    }

    @Test
    void useCasesDoNotDependOnTheWebLayer() {
        noClasses().that().resideInAPackage(ROOT + "..").and().resideOutsideOfPackages("..web..")
                .should().dependOnClassesThat().resideInAPackage(ROOT + "..web..")
                .because("use cases throw io.slipway.api.errors exceptions; the web layer owns the Heroku wire contract")
                .check(classes);
    }

    /**
     * Hibernate makes a lazy-loading proxy class (ByteBuddy) at start for every entity that is not final: 8% of
     * the api-server's start in a profile, for proxies nothing here uses (no associations, no getReference).
     */
    @Test
    void entitiesAreFinal() {
        classes().that().areAnnotatedWith(jakarta.persistence.Entity.class).should().haveModifier(JavaModifier.FINAL)
                .because("Hibernate then builds no proxy class for them at start (docs/development.md)")
                .check(classes);
    }

    @Test
    void featurePackagesHaveNoCycles() {
        slices().assignedFrom(FEATURES).should().beFreeOfCycles().check(classes);
    }

    /**
     * A feature is a package right under {@code io.slipway.api} without its {@code web} subpackages: controllers
     * and presenters sit on top of every feature and may use any of them, so they take no part in a cycle.
     * Classes in {@code io.slipway.api} itself (the application, its config) are outside every feature.
     */
    private static final SliceAssignment FEATURES = new SliceAssignment() {
        @Override
        public SliceIdentifier getIdentifierOf(JavaClass c) {
            String pkg = c.getPackageName();
            if (!pkg.startsWith(ROOT + ".") || List.of(pkg.split("\\.")).contains("web")) return SliceIdentifier.ignore();
            return SliceIdentifier.of(pkg.substring(ROOT.length() + 1).split("\\.")[0]);
        }

        @Override
        public String getDescription() {
            return "feature packages of io.slipway.api (web layers left out)";
        }
    };
}
