package dev.frelon.train;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.w3c.dom.Element;
import org.w3c.dom.Node;

import javax.xml.XMLConstants;
import javax.xml.parsers.DocumentBuilderFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * What Maven Central requires of every POM Frelon publishes, checked on the POM sources: the parent
 * ({@code frelon-parent}), the six library modules and {@code frelon-bom}. Inheritance is resolved by hand:
 * what a module's POM lacks must come from the parent's, in a form that Maven passes down unchanged.
 */
class PublishedPomTest {

    private static final String URL = "https://github.com/frelon-dev/frelon";
    private static final String SCM_CONNECTION = "scm:git:https://github.com/frelon-dev/frelon.git";
    private static final String LICENSE_URL = "https://www.apache.org/licenses/LICENSE-2.0.txt";
    /** The library modules, in dependency order: directory name = artifactId suffix = module name suffix. */
    private static final List<String> LIBRARIES = List.of("core", "autodiff", "nn", "optim", "train", "spark");

    private static final Path ROOT = findRoot();
    private static final Element PARENT = parse(ROOT.resolve("pom.xml"));

    // ---------------------------------------------------------------- metadata of every published POM

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {".", "core", "autodiff", "nn", "optim", "train", "bom"})
    void everyPublishedPomCarriesCentralMetadata(String dir) {
        Element pom = parse(ROOT.resolve(dir).resolve("pom.xml"));
        Element parent = inheritsFromParent(pom) ? PARENT : null;
        String where = dir + "/pom.xml";

        assertEquals("dev.frelon", inherited(pom, parent, "groupId"), where + ": groupId");
        assertEquals(text(PARENT, "version"), inherited(pom, parent, "version"),
                where + ": version differs from the parent's");
        String artifactId = text(pom, "artifactId");
        assertNotNull(artifactId, where + ": artifactId");
        assertTrue(artifactId.startsWith("frelon-"), where + ": artifactId " + artifactId);

        // Maven does not inherit <name>, and an inherited description would describe the whole project.
        assertNotBlank(text(pom, "name"), where + ": own <name>");
        assertNotBlank(text(pom, "description"), where + ": own <description>");
        if (parent != null) {
            assertFalse(text(pom, "description").equals(text(PARENT, "description")),
                    where + ": <description> only repeats the parent's");
        }

        // url: own, or the parent's passed down without Maven's default "/<artifactId>" suffix.
        assertEquals(URL, inherited(pom, parent, "url"), where + ": <url>");
        if (child(pom, "url") == null) {
            assertEquals("false", PARENT.getAttribute("child.project.url.inherit.append.path"),
                    "parent pom.xml: <project child.project.url.inherit.append.path=\"false\"> is needed, or "
                            + where + " inherits " + URL + "/" + artifactId);
        }

        Element licenses = element(pom, parent, "licenses");
        assertNotNull(licenses, where + ": <licenses>");
        List<Element> licenseList = children(licenses, "license");
        assertFalse(licenseList.isEmpty(), where + ": no <license>");
        for (Element license : licenseList) {
            assertEquals("Apache-2.0", text(license, "name"), where + ": license name");
            assertEquals(LICENSE_URL, text(license, "url"), where + ": license url");
            assertEquals("repo", text(license, "distribution"), where + ": license distribution");
        }

        Element scm = element(pom, parent, "scm");
        assertNotNull(scm, where + ": <scm>");
        assertEquals(URL, text(scm, "url"), where + ": scm url");
        assertEquals(SCM_CONNECTION, text(scm, "connection"), where + ": scm connection");
        assertNotBlank(text(scm, "developerConnection"), where + ": scm developerConnection");
        assertNotBlank(text(scm, "tag"), where + ": scm tag");
        if (scm != child(pom, "scm")) {
            for (String part : List.of("url", "connection", "developerConnection")) {
                assertEquals("false", scm.getAttribute("child.scm." + part + ".inherit.append.path"),
                        "parent pom.xml: <scm child.scm." + part + ".inherit.append.path=\"false\"> is needed, or "
                                + where + " inherits a scm " + part + " ending in /" + artifactId);
            }
        }

        Element developers = element(pom, parent, "developers");
        assertNotNull(developers, where + ": <developers>");
        List<Element> developerList = children(developers, "developer");
        assertFalse(developerList.isEmpty(), where + ": no <developer>");
        for (Element developer : developerList) {
            assertNotBlank(text(developer, "id"), where + ": developer id");
            assertNotBlank(text(developer, "name"), where + ": developer name");
        }

        assertEquals(URL + "/issues", text(element(pom, parent, "issueManagement"), "url"),
                where + ": issueManagement url");
        assertEquals("2026", inherited(pom, parent, "inceptionYear"), where + ": inceptionYear");
    }

    @Test
    void parentBuildsEveryLibraryTheBomAndTheUnpublishedModules() {
        List<String> modules = texts(child(PARENT, "modules"), "module");
        for (String library : LIBRARIES) {
            assertTrue(modules.contains(library), "parent <modules> lacks " + library);
            Element pom = parse(ROOT.resolve(library).resolve("pom.xml"));
            assertTrue(inheritsFromParent(pom), library + "/pom.xml: parent is not frelon-parent " + text(PARENT, "version"));
            assertEquals("frelon-" + library, text(pom, "artifactId"), library + "/pom.xml: artifactId");
        }
        assertTrue(modules.contains("bom"), "parent <modules> lacks bom");
        assertTrue(modules.contains("benchmarks") && modules.contains("examples"), "parent <modules>: " + modules);
    }

    // ---------------------------------------------------------------- jar manifests

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"core", "autodiff", "nn", "optim", "train", "spark"})
    void libraryJarNamesItsJavaModule(String library) {
        Element pom = parse(ROOT.resolve(library).resolve("pom.xml"));
        String packaging = text(pom, "packaging");
        assertTrue(packaging == null || packaging.equals("jar"), library + "/pom.xml: packaging " + packaging);
        assertEquals("dev.frelon." + library, text(pom, "properties", "frelon.module.name"),
                library + "/pom.xml: <frelon.module.name>");
        // The sources and Javadoc jars that Central requires must not be switched off for a library.
        assertNull(text(pom, "properties", "maven.source.skip"), library + "/pom.xml skips its sources jar");
        assertNull(text(pom, "properties", "maven.javadoc.skip"), library + "/pom.xml skips its Javadoc jar");
    }

    @Test
    void jarPluginWritesAutomaticModuleNameAndImplementationEntries() {
        List<Element> jarPlugins = new ArrayList<>();
        jarPlugins.addAll(plugins(element(PARENT, null, "build", "pluginManagement", "plugins"), "maven-jar-plugin"));
        jarPlugins.addAll(plugins(element(PARENT, null, "build", "plugins"), "maven-jar-plugin"));
        assertFalse(jarPlugins.isEmpty(), "parent pom.xml does not configure maven-jar-plugin");
        boolean moduleName = false, implementation = false;
        for (Element plugin : jarPlugins) {
            moduleName |= "${frelon.module.name}".equals(
                    text(plugin, "configuration", "archive", "manifestEntries", "Automatic-Module-Name"));
            implementation |= "true".equals(
                    text(plugin, "configuration", "archive", "manifest", "addDefaultImplementationEntries"))
                    || text(plugin, "configuration", "archive", "manifestEntries", "Implementation-Version") != null;
        }
        assertTrue(moduleName, "maven-jar-plugin: manifestEntries lack Automatic-Module-Name = ${frelon.module.name}");
        assertTrue(implementation, "maven-jar-plugin: no Implementation-Title/-Version entries");
    }

    // ---------------------------------------------------------------- release profile

    @Test
    void parentReleaseProfileSignsAttachesAndBundles() {
        Element profile = releaseProfile(PARENT, "pom.xml");
        Element profilePlugins = element(profile, null, "build", "plugins");
        assertSigns(profilePlugins, PARENT, "pom.xml");
        Element central = assertBundles(profilePlugins, PARENT, "pom.xml");
        List<String> excluded = texts(child(child(central, "configuration"), "excludeArtifacts"), "excludeArtifact");
        assertTrue(excluded.contains("frelon-benchmarks") && excluded.contains("frelon-examples"),
                "central-publishing-maven-plugin must exclude frelon-benchmarks and frelon-examples: " + excluded);

        // Sources and Javadoc jars: in the main build (for every module) or in the release profile.
        Element mainPlugins = element(PARENT, null, "build", "plugins");
        assertTrue(hasGoal(mainPlugins, "maven-source-plugin", "jar-no-fork", "jar")
                        || hasGoal(profilePlugins, "maven-source-plugin", "jar-no-fork", "jar"),
                "no maven-source-plugin execution attaches a sources jar");
        assertTrue(hasGoal(mainPlugins, "maven-javadoc-plugin", "jar")
                        || hasGoal(profilePlugins, "maven-javadoc-plugin", "jar"),
                "no maven-javadoc-plugin execution attaches a Javadoc jar");
    }

    @Test
    void bomReleasesLikeTheParent() {
        Element bom = parse(ROOT.resolve("bom/pom.xml"));
        Element plugins = element(releaseProfile(bom, "bom/pom.xml"), null, "build", "plugins");
        assertSigns(plugins, bom, "bom/pom.xml");
        assertBundles(plugins, bom, "bom/pom.xml");
        for (String plugin : List.of("maven-gpg-plugin", "central-publishing-maven-plugin")) {
            assertEquals(pluginVersion(PARENT, plugin), pluginVersion(bom, plugin),
                    "bom/pom.xml and pom.xml use different versions of " + plugin);
        }
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"benchmarks", "examples"})
    void unpublishedModulesAreNotDeployed(String module) {
        Element pom = parse(ROOT.resolve(module).resolve("pom.xml"));
        assertEquals("true", text(pom, "properties", "maven.deploy.skip"), module + "/pom.xml: maven.deploy.skip");
        Element central = single(plugins(element(releaseProfile(PARENT, "pom.xml"), null, "build", "plugins"),
                "central-publishing-maven-plugin"), "central-publishing-maven-plugin");
        assertTrue(texts(child(child(central, "configuration"), "excludeArtifacts"), "excludeArtifact")
                .contains(text(pom, "artifactId")), text(pom, "artifactId") + " would go into the Central bundle");
    }

    // ---------------------------------------------------------------- the BOM

    @Test
    void bomManagesExactlyTheFiveLibraries() {
        Element bom = parse(ROOT.resolve("bom/pom.xml"));
        assertNull(child(bom, "parent"),
                "bom/pom.xml has a <parent>: importing it would also import the parent's JUnit/JMH pins");
        assertEquals("dev.frelon", text(bom, "groupId"));
        assertEquals("frelon-bom", text(bom, "artifactId"));
        assertEquals("pom", text(bom, "packaging"));
        assertEquals(text(PARENT, "version"), text(bom, "version"), "bom version is out of step with the parent");
        assertNull(child(bom, "dependencies"), "a BOM declares no dependencies of its own");

        Element managed = element(bom, null, "dependencyManagement", "dependencies");
        assertNotNull(managed, "bom/pom.xml: no <dependencyManagement>");
        Map<String, Element> byArtifact = new LinkedHashMap<>();
        for (Element dependency : children(managed, "dependency")) {
            assertNull(byArtifact.put(text(dependency, "artifactId"), dependency),
                    "bom lists " + text(dependency, "artifactId") + " twice");
        }
        assertEquals(LIBRARIES.stream().map(l -> "frelon-" + l).toList(), List.copyOf(byArtifact.keySet()),
                "bom must list exactly the six library artifacts");
        byArtifact.forEach((artifactId, dependency) -> {
            String group = text(dependency, "groupId");
            assertTrue("dev.frelon".equals(group) || "${project.groupId}".equals(group), artifactId + ": groupId " + group);
            assertEquals("${project.version}", text(dependency, "version"), artifactId + ": version");
            for (String extra : List.of("scope", "type", "classifier", "optional")) {
                assertNull(child(dependency, extra), artifactId + ": unexpected <" + extra + ">");
            }
        });
    }

    // ---------------------------------------------------------------- LICENSE and NOTICE

    @Test
    void licenseIsTheApacheLicense2() throws Exception {
        List<String> lines = Files.readAllLines(ROOT.resolve("LICENSE")).stream()
                .map(String::strip).filter(l -> !l.isEmpty()).toList();
        assertEquals(List.of("Apache License", "Version 2.0, January 2004", "http://www.apache.org/licenses/",
                "TERMS AND CONDITIONS FOR USE, REPRODUCTION, AND DISTRIBUTION"),
                lines.subList(0, Math.min(4, lines.size())), "LICENSE does not start with the Apache License 2.0 header");
        assertTrue(lines.size() > 150, "LICENSE is not the full text: " + lines.size() + " non-blank lines");
        assertTrue(lines.contains("END OF TERMS AND CONDITIONS"), "LICENSE lacks the end of the terms");
    }

    @Test
    void noticeNamesTheProjectAndItsCopyright() throws Exception {
        String notice = Files.readString(ROOT.resolve("NOTICE"));
        assertTrue(notice.startsWith("Frelon"), "NOTICE must start with the product name");
        assertTrue(notice.contains("Copyright 2026 the Frelon authors"), "NOTICE lacks the copyright line");
    }

    // ---------------------------------------------------------------- helpers

    private static Element releaseProfile(Element pom, String where) {
        Element profiles = child(pom, "profiles");
        assertNotNull(profiles, where + ": no <profiles>");
        for (Element profile : children(profiles, "profile")) {
            if ("release".equals(text(profile, "id"))) {
                return profile;
            }
        }
        return fail(where + ": no release profile");
    }

    private static void assertSigns(Element plugins, Element pom, String where) {
        Element gpg = single(plugins(plugins, "maven-gpg-plugin"), where + ": maven-gpg-plugin in the release profile");
        assertEquals("org.apache.maven.plugins", text(gpg, "groupId"), where + ": maven-gpg-plugin groupId");
        boolean signsInVerify = false;
        for (Element execution : children(child(gpg, "executions"), "execution")) {
            signsInVerify |= "verify".equals(text(execution, "phase")) && texts(child(execution, "goals"), "goal").contains("sign");
        }
        assertTrue(signsInVerify, where + ": maven-gpg-plugin has no sign goal bound to verify");
        assertNotBlank(pluginVersion(pom, "maven-gpg-plugin"), where + ": maven-gpg-plugin version");
    }

    private static Element assertBundles(Element plugins, Element pom, String where) {
        Element central = single(plugins(plugins, "central-publishing-maven-plugin"),
                where + ": central-publishing-maven-plugin in the release profile");
        assertEquals("org.sonatype.central", text(central, "groupId"), where + ": central plugin groupId");
        assertEquals("true", text(central, "extensions"), where + ": central plugin must be an extension");
        assertEquals("central", text(central, "configuration", "publishingServerId"), where + ": publishingServerId");
        assertEquals("false", text(central, "configuration", "autoPublish"), where + ": autoPublish");
        assertNotBlank(pluginVersion(pom, "central-publishing-maven-plugin"), where + ": central plugin version");
        return central;
    }

    /** The version of a plugin, from its pluginManagement or plugins entry, with properties resolved. */
    private static String pluginVersion(Element pom, String artifactId) {
        for (String[] path : List.of(new String[] {"build", "pluginManagement", "plugins"}, new String[] {"build", "plugins"})) {
            for (Element plugin : plugins(element(pom, null, path), artifactId)) {
                String version = text(plugin, "version");
                if (version != null) {
                    return resolve(pom, version);
                }
            }
        }
        return null;
    }

    private static String resolve(Element pom, String value) {
        Matcher m = Pattern.compile("\\$\\{([^}]+)}").matcher(value);
        StringBuilder out = new StringBuilder();
        while (m.find()) {
            String property = text(pom, "properties", m.group(1));
            assertNotNull(property, "undefined property ${" + m.group(1) + "}");
            m.appendReplacement(out, Matcher.quoteReplacement(property));
        }
        return m.appendTail(out).toString();
    }

    private static boolean hasGoal(Element plugins, String artifactId, String... goals) {
        for (Element plugin : plugins(plugins, artifactId)) {
            for (Element execution : children(child(plugin, "executions"), "execution")) {
                List<String> declared = texts(child(execution, "goals"), "goal");
                for (String goal : goals) {
                    if (declared.contains(goal)) {
                        return true;
                    }
                }
            }
        }
        return false;
    }

    private static List<Element> plugins(Element plugins, String artifactId) {
        return children(plugins, "plugin").stream().filter(p -> artifactId.equals(text(p, "artifactId"))).toList();
    }

    private static Element single(List<Element> elements, String what) {
        assertEquals(1, elements.size(), what);
        return elements.get(0);
    }

    private static boolean inheritsFromParent(Element pom) {
        Element parent = child(pom, "parent");
        return parent != null && "dev.frelon".equals(text(parent, "groupId"))
                && "frelon-parent".equals(text(parent, "artifactId"))
                && text(PARENT, "version").equals(text(parent, "version"));
    }

    /** A simple value of the POM, or of its parent POM when it has none (groupId and version from {@code <parent>}). */
    private static String inherited(Element pom, Element parent, String name) {
        String own = text(pom, name);
        if (own != null || parent == null) {
            return own;
        }
        return (name.equals("groupId") || name.equals("version")) ? text(pom, "parent", name) : text(parent, name);
    }

    /** An element of the POM, or of its parent POM when it has none. */
    private static Element element(Element pom, Element parent, String... path) {
        Element own = descend(pom, path);
        return own != null || parent == null ? own : descend(parent, path);
    }

    private static Element descend(Element e, String... path) {
        for (String name : path) {
            if (e == null) {
                return null;
            }
            e = child(e, name);
        }
        return e;
    }

    private static String text(Element e, String... path) {
        Element found = descend(e, path);
        return found == null ? null : found.getTextContent().strip();
    }

    private static List<String> texts(Element parent, String name) {
        return children(parent, name).stream().map(e -> e.getTextContent().strip()).toList();
    }

    private static Element child(Element parent, String name) {
        List<Element> found = children(parent, name);
        return found.isEmpty() ? null : found.get(0);
    }

    private static List<Element> children(Element parent, String name) {
        List<Element> out = new ArrayList<>();
        if (parent == null) {
            return out;
        }
        for (Node n = parent.getFirstChild(); n != null; n = n.getNextSibling()) {
            if (n instanceof Element e && e.getTagName().equals(name)) {
                out.add(e);
            }
        }
        return out;
    }

    private static void assertNotBlank(String value, String what) {
        assertTrue(value != null && !value.isBlank(), what + " is missing");
    }

    private static Element parse(Path file) {
        try {
            DocumentBuilderFactory factory = DocumentBuilderFactory.newInstance();
            factory.setFeature(XMLConstants.FEATURE_SECURE_PROCESSING, true);
            factory.setFeature("http://apache.org/xml/features/disallow-doctype-decl", true);
            factory.setNamespaceAware(false);
            return factory.newDocumentBuilder().parse(file.toFile()).getDocumentElement();
        } catch (Exception e) {
            throw new AssertionError("cannot parse " + file, e);
        }
    }

    /** The repository root: the nearest directory up from the working directory whose pom.xml is frelon-parent. */
    private static Path findRoot() {
        for (Path dir = Path.of("").toAbsolutePath(); dir != null; dir = dir.getParent()) {
            Path pom = dir.resolve("pom.xml");
            if (Files.isRegularFile(pom) && "frelon-parent".equals(text(parse(pom), "artifactId"))) {
                return dir;
            }
        }
        throw new AssertionError("no frelon-parent pom.xml above " + Path.of("").toAbsolutePath());
    }
}
