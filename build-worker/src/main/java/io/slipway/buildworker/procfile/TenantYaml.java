package io.slipway.buildworker.procfile;

import org.yaml.snakeyaml.DumperOptions;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.SafeConstructor;
import org.yaml.snakeyaml.representer.Representer;
import org.yaml.snakeyaml.resolver.Resolver;

/**
 * The one way the build-worker reads YAML a tenant controls ({@code heroku.yml}, a buildpack's release output):
 * SnakeYAML's safe constructor with no aliases to collections (no "billion laughs"), no recursive keys, no
 * global tags, bounded size and nesting, and no implicit types, so every plain scalar stays a string
 * ({@code PORT: 5000} is "5000", {@code on: yes} is "yes").
 */
public final class TenantYaml {
    private TenantYaml() {}

    /** A new parser per document: SnakeYAML's {@link Yaml} is not thread-safe. */
    public static Yaml parser(int maxCodePoints, int maxNesting, boolean allowDuplicateKeys) {
        LoaderOptions options = new LoaderOptions();
        options.setMaxAliasesForCollections(0);
        options.setAllowRecursiveKeys(false);
        options.setAllowDuplicateKeys(allowDuplicateKeys);
        options.setCodePointLimit(maxCodePoints);
        options.setNestingDepthLimit(maxNesting);
        options.setTagInspector(tag -> false);
        return new Yaml(new SafeConstructor(options), new Representer(new DumperOptions()), new DumperOptions(),
                options, new StringsOnly());
    }

    /** The first line of a parser's message (SnakeYAML's run over several lines with a source excerpt). */
    public static String firstLine(String message) {
        String m = message == null ? "unreadable document" : message.strip();
        int nl = m.indexOf('\n');
        return nl < 0 ? m : m.substring(0, nl);
    }

    /** Resolves no implicit types. */
    private static final class StringsOnly extends Resolver {
        @Override
        protected void addImplicitResolvers() {}
    }
}
