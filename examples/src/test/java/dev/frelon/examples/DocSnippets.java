package dev.frelon.examples;

import javax.tools.Diagnostic;
import javax.tools.DiagnosticCollector;
import javax.tools.JavaCompiler;
import javax.tools.JavaFileObject;
import javax.tools.StandardJavaFileManager;
import javax.tools.ToolProvider;
import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The Java code blocks of one Markdown document, turned into compilable sources so that the documentation is
 * checked like code. Each fenced {@code ```java} block is split into its imports, its top-level type
 * declarations (a line at column 0 starting a class, record, interface or enum, up to its closing brace) and
 * the statements left over. Every type becomes a file of its own in the document's package, so later blocks
 * of the same document can use it, as a reader would; each block's statements become the body of a
 * {@code main} in a class named after the block's line. No import is added: a block compiles only with the
 * imports it shows, which is what a reader pasting it needs.
 */
final class DocSnippets {

    /** One fenced block: where it starts in the document and its text. */
    record Block(int line, String code) {
    }

    /** A generated source: its class name, its text, and the document line its block starts at. */
    record Source(String simpleName, String text, int docLine, boolean runnable) {
    }

    private static final Pattern FENCE = Pattern.compile("^```java\\s*$");
    private static final Pattern TYPE_START = Pattern.compile(
            "^(?:@\\w+\\s+)*(?:(?:public|final|abstract|sealed|non-sealed|static)\\s+)*(class|record|interface|enum)\\s+(\\w+)");
    private static final Pattern MAIN = Pattern.compile("public\\s+static\\s+void\\s+main\\s*\\(");

    final Path document;
    final String packageName;
    final List<Source> sources = new ArrayList<>();

    DocSnippets(Path document) throws IOException {
        this.document = document;
        String base = document.getFileName().toString().replaceFirst("\\.md$", "").toLowerCase(Locale.ROOT);
        this.packageName = "snippets." + base.replaceAll("[^a-z0-9]", "_");
        for (Block b : blocks(Files.readAllLines(document, StandardCharsets.UTF_8))) {
            split(b);
        }
    }

    static List<Block> blocks(List<String> lines) {
        List<Block> out = new ArrayList<>();
        for (int i = 0; i < lines.size(); i++) {
            if (FENCE.matcher(lines.get(i)).matches()) {
                int start = i + 1;
                StringBuilder sb = new StringBuilder();
                for (i = start; i < lines.size() && !lines.get(i).startsWith("```"); i++) {
                    sb.append(lines.get(i)).append('\n');
                }
                out.add(new Block(start + 1, sb.toString()));
            }
        }
        return out;
    }

    private void split(Block b) {
        String[] lines = b.code().split("\n", -1);
        List<String> imports = new ArrayList<>();
        StringBuilder statements = new StringBuilder();
        Map<String, String> types = new LinkedHashMap<>();
        for (int i = 0; i < lines.length; i++) {
            String l = lines[i];
            Matcher type = TYPE_START.matcher(l);
            if (l.startsWith("import ")) {
                imports.add(l);
                statements.append('\n');
            } else if (type.find()) {
                StringBuilder decl = new StringBuilder();
                int depth = 0;
                boolean opened = false;
                for (; i < lines.length; i++) {
                    decl.append(lines[i]).append('\n');
                    depth += braces(lines[i]);
                    opened |= lines[i].indexOf('{') >= 0;
                    if (opened && depth == 0) {
                        break;
                    }
                }
                types.put(type.group(2), decl.toString());
            } else {
                statements.append(l).append('\n');
            }
        }
        String header = "package " + packageName + ";\n\n" + String.join("\n", imports) + "\n\n";
        for (var t : types.entrySet()) {
            sources.add(new Source(t.getKey(), header + t.getValue(), b.line(), MAIN.matcher(t.getValue()).find()));
        }
        if (!statements.toString().isBlank()) {
            String name = "Block" + b.line();
            sources.add(new Source(name, header + "public final class " + name
                    + " {\n    public static void main(String[] args) throws Exception {\n" + statements
                    + "\n    }\n}\n", b.line(), true));
        }
    }

    /** Net brace depth of a line, ignoring braces inside string and character literals and line comments. */
    private static int braces(String line) {
        int d = 0;
        boolean str = false, chr = false;
        for (int i = 0; i < line.length(); i++) {
            char c = line.charAt(i);
            if (!str && !chr && c == '/' && i + 1 < line.length() && line.charAt(i + 1) == '/') {
                break;
            }
            if (c == '\\') {
                i++;
            } else if (c == '"' && !chr) {
                str = !str;
            } else if (c == '\'' && !str) {
                chr = !chr;
            } else if (!str && !chr) {
                d += c == '{' ? 1 : c == '}' ? -1 : 0;
            }
        }
        return d;
    }

    /**
     * Writes the sources under {@code srcDir} and compiles them into {@code classesDir} against this JVM's class
     * path.
     *
     * @return the compiler's errors, each naming the document line of its block; empty when all compiled
     */
    List<String> compile(Path srcDir, Path classesDir) throws IOException {
        if (sources.isEmpty()) {
            return List.of();
        }
        Path pkg = srcDir.resolve(packageName.replace('.', '/'));
        Files.createDirectories(pkg);
        Files.createDirectories(classesDir);
        List<Path> files = new ArrayList<>();
        Map<Path, Source> bySource = new LinkedHashMap<>();
        for (Source s : sources) {
            Path f = pkg.resolve(s.simpleName() + ".java");
            if (bySource.containsKey(f)) {
                return List.of(document + ": two blocks declare " + s.simpleName() + " (lines " + bySource.get(f).docLine()
                        + " and " + s.docLine() + ")");
            }
            Files.writeString(f, s.text());
            files.add(f);
            bySource.put(f, s);
        }
        JavaCompiler javac = ToolProvider.getSystemJavaCompiler();
        DiagnosticCollector<JavaFileObject> diags = new DiagnosticCollector<>();
        try (StandardJavaFileManager fm = javac.getStandardFileManager(diags, Locale.ROOT, StandardCharsets.UTF_8)) {
            List<String> options = List.of("--release", "25", "--add-modules", "jdk.incubator.vector",
                    "-classpath", System.getProperty("java.class.path"), "-d", classesDir.toString(), "-proc:none",
                    "-Xlint:-options");
            boolean ok = javac.getTask(null, fm, diags, options, null, fm.getJavaFileObjectsFromPaths(files)).call();
            List<String> errors = new ArrayList<>();
            for (Diagnostic<? extends JavaFileObject> d : diags.getDiagnostics()) {
                if (d.getKind() == Diagnostic.Kind.ERROR) {
                    Source s = d.getSource() == null ? null : bySource.get(Path.of(d.getSource().toUri()));
                    errors.add(document.getFileName() + (s == null ? "" : ", block at line " + s.docLine()) + ": "
                            + d.getMessage(Locale.ROOT) + (s == null ? "" : "\n    in: "
                            + s.text().lines().skip(d.getLineNumber() - 1).findFirst().orElse("").strip()));
                }
            }
            if (!ok && errors.isEmpty()) {
                errors.add(document + ": the compiler failed without an error message");
            }
            return errors;
        }
    }

    /** What a run printed and how it ended. */
    record Run(Source source, int exit, String output) {
    }

    /**
     * Runs one runnable source in a JVM of its own, in {@code workDir}, with the Vector API module, Spark's JVM
     * options and assertions enabled.
     */
    Run run(Source s, Path classesDir, Path workDir, long timeoutSeconds) throws IOException, InterruptedException {
        String javaBin = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        // Spark's options (they include the Vector API module): docs/distributed.md's program starts Spark.
        List<String> cmd = new java.util.ArrayList<>(List.of(javaBin));
        cmd.addAll(dev.frelon.spark.SparkJvmOptions.options());
        cmd.addAll(List.of("-ea", "-Xmx2g", "-cp", classesDir + File.pathSeparator + System.getProperty("java.class.path"),
                packageName + "." + s.simpleName()));
        Files.createDirectories(workDir);
        Path log = workDir.resolve(s.simpleName() + ".log");
        Process p = new ProcessBuilder(cmd).directory(workDir.toFile()).redirectErrorStream(true)
                .redirectOutput(log.toFile()).start();
        if (!p.waitFor(timeoutSeconds, TimeUnit.SECONDS)) {
            p.destroyForcibly().waitFor();
            return new Run(s, -1, "timed out after " + timeoutSeconds + " s\n" + Files.readString(log));
        }
        return new Run(s, p.exitValue(), Files.readString(log));
    }
}
