package io.slipway.shared.testing;

import java.util.Map;

/**
 * The repositories the git push acceptance tests deploy (one small app per built-in buildpack, and two that fail),
 * and the Maven app the build-worker's buildpack test builds.
 */
public final class SampleApps {
    private SampleApps() {}

    public static Map<String, String> nodeWithNpmDependency() {
        return Map.of(
                "package.json", """
                        {"name": "node-demo", "version": "1.0.0", "private": true,
                         "scripts": {"start": "node index.js"}, "dependencies": {"ms": "2.1.3"}}
                        """,
                "index.js", "console.log(require('ms')(60000));\n");
    }

    /** A Maven app whose plugins come from this machine's local repository, served at {@code hostUrl}/m2/. */
    public static Map<String, String> maven(String hostUrl) {
        return Map.of(
                "pom.xml", """
                        <project xmlns="http://maven.apache.org/POM/4.0.0">
                          <modelVersion>4.0.0</modelVersion>
                          <groupId>demo</groupId><artifactId>demo</artifactId><version>1.0</version>
                          <properties>
                            <maven.compiler.release>17</maven.compiler.release>
                            <project.build.sourceEncoding>UTF-8</project.build.sourceEncoding>
                          </properties>
                          <build><plugins>
                            <plugin><groupId>org.apache.maven.plugins</groupId><artifactId>maven-resources-plugin</artifactId><version>3.3.1</version></plugin>
                            <plugin><groupId>org.apache.maven.plugins</groupId><artifactId>maven-compiler-plugin</artifactId><version>3.14.0</version></plugin>
                            <plugin><groupId>org.apache.maven.plugins</groupId><artifactId>maven-surefire-plugin</artifactId><version>3.5.4</version></plugin>
                            <plugin><groupId>org.apache.maven.plugins</groupId><artifactId>maven-jar-plugin</artifactId><version>3.4.1</version></plugin>
                          </plugins></build>
                        </project>
                        """,
                // the app's settings.xml (which the java buildpack uses, as Heroku's does) lists this machine's
                // local repository before Maven Central, so the build needs no network for plugins this project's
                // own build already fetched
                "settings.xml", """
                        <settings><profiles><profile><id>local</id>
                          <repositories><repository><id>local</id><url>%1$s/m2/</url></repository></repositories>
                          <pluginRepositories><pluginRepository><id>local</id><url>%1$s/m2/</url></pluginRepository>
                          </pluginRepositories></profile></profiles>
                          <activeProfiles><activeProfile>local</activeProfile></activeProfiles></settings>
                        """.formatted(hostUrl),
                "src/main/java/demo/Main.java", """
                        package demo;
                        public class Main { public static void main(String[] a) { System.out.println("hi"); } }
                        """);
    }

    public static Map<String, String> python() {
        return Map.of("requirements.txt", "# no packages: the build needs no network\n",
                "app.py", "import os\nprint('listening on', os.environ.get('PORT'))\n");
    }

    public static Map<String, String> staticSite() {
        return Map.of("index.html", "<h1>Hello</h1>\n", "css/site.css", "h1 { color: red }\n");
    }

    /** A Node.js app whose build script fails like a compiler would. */
    public static Map<String, String> failingNodeBuild() {
        return Map.of("package.json", """
                {"name": "broken", "version": "1.0.0", "private": true,
                 "scripts": {"start": "node index.js", "build": "echo 'error TS2304: Cannot find name foo' && exit 3"}}
                """);
    }

    /** A Node.js app whose build waits until {@code gateUrl} answers 200: holds a push inside its build. */
    public static Map<String, String> nodeBuildWaitingAt(String gateUrl) {
        return Map.of(
                "package.json", """
                        {"name": "race", "version": "1.0.0", "private": true,
                         "scripts": {"start": "node index.js", "build": "node gate.js"}}
                        """,
                "index.js", "console.log('hi');\n",
                "gate.js", """
                        const http = require('http');
                        console.log('waiting at the gate');
                        const poll = () => http.get('%s', r => {
                          r.resume();
                          if (r.statusCode === 200) console.log('through the gate'); else setTimeout(poll, 200);
                        }).on('error', () => setTimeout(poll, 200));
                        poll();
                        """.formatted(gateUrl));
    }
}
