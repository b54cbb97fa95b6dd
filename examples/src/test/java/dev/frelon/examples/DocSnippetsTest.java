package dev.frelon.examples;

import dev.frelon.autodiff.Variable;
import dev.frelon.core.Tensor;
import dev.frelon.optim.Optimizer;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

import java.lang.management.ManagementFactory;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * Documentation is code: every {@code ```java} block of README.md and docs/*.md compiles with exactly the imports
 * it shows, and every block with statements (or a {@code main}) runs to completion in a JVM of its own, in a
 * scratch directory. The Lion optimizer that docs/extending.md defines is then checked against a double-precision
 * reference.
 */
class DocSnippetsTest {

    private static final Path ROOT = Path.of("").toAbsolutePath().getParent();
    private static Path scratch;
    private static final List<DocSnippets> DOCS = new ArrayList<>();

    @BeforeAll
    static void compileEveryDocument() throws Exception {
        scratch = Path.of("target", "doc-snippets").toAbsolutePath();
        List<Path> documents = new ArrayList<>();
        documents.add(ROOT.resolve("README.md"));
        try (Stream<Path> docs = Files.list(ROOT.resolve("docs"))) {
            docs.filter(p -> p.toString().endsWith(".md")).sorted().forEach(documents::add);
        }
        List<String> errors = new ArrayList<>();
        for (Path d : documents) {
            DocSnippets s = new DocSnippets(d);
            errors.addAll(s.compile(scratch.resolve("src"), classes()));
            DOCS.add(s);
        }
        if (!errors.isEmpty()) {
            fail("documented code does not compile:\n" + String.join("\n", errors));
        }
    }

    private static Path classes() {
        return scratch.resolve("classes");
    }

    @Test
    void theDocumentsHoldTheBlocksTheyShouldAndEveryBlockIsUsed() {
        DocSnippets readme = DOCS.get(0);
        List<String> names = readme.sources.stream().map(DocSnippets.Source::simpleName).toList();
        assertTrue(names.contains("Quickstart") && names.contains("TwoLayer") && names.contains("Swish"), names.toString());
        DocSnippets extending = DOCS.stream().filter(d -> d.document.endsWith("extending.md")).findFirst().orElseThrow();
        List<String> ext = extending.sources.stream().map(DocSnippets.Source::simpleName).toList();
        assertTrue(ext.containsAll(List.of("Swish", "Swiglu", "SignSGD", "Lion")), ext.toString());
        long runnable = DOCS.stream().mapToLong(d -> d.sources.stream().filter(DocSnippets.Source::runnable).count()).sum();
        assertTrue(runnable >= 6, "expected at least 6 runnable blocks, found " + runnable);
    }

    @TestFactory
    Stream<DynamicTest> everyRunnableBlockRuns() {
        return DOCS.stream().flatMap(d -> d.sources.stream().filter(DocSnippets.Source::runnable)
                .map(s -> DynamicTest.dynamicTest(d.document.getFileName() + " line " + s.docLine() + " (" + s.simpleName() + ")", () -> {
                    Path work = scratch.resolve("run").resolve(d.packageName).resolve(s.simpleName());
                    DocSnippets.Run r = d.run(s, classes(), work, 300);
                    assertEquals(0, r.exit(), d.document.getFileName() + ", block at line " + s.docLine()
                            + " failed:\n" + r.output());
                })));
    }

    /** The documented Lion, loaded from the classes compiled out of docs/extending.md. */
    @SuppressWarnings("unchecked")
    private static Optimizer<?> lion(List<Variable> params, double lr, double weightDecay) throws Exception {
        var loader = new URLClassLoader(new URL[] {classes().toUri().toURL()}, DocSnippetsTest.class.getClassLoader());
        Class<?> c = loader.loadClass("snippets.extending.Lion");
        return (Optimizer<?>) c.getConstructor(List.class, double.class, double.class).newInstance(params, lr, weightDecay);
    }

    @Test
    void theDocumentedLionMatchesADoublePrecisionReference() throws Exception {
        float[] p0 = {0.5f, -1.5f, 2f, 0f, 3e-3f};
        float[][] grads = {{0.1f, -0.2f, 0.3f, 0f, -1e-4f}, {-0.4f, 0.5f, 0.05f, 1f, 2e-4f},
            {0.25f, 0.1f, -0.6f, -2f, 0f}, {0f, -0.3f, 0.2f, 0.5f, -3f}};
        double lr = 0.01, wd = 0.1, b1 = 0.9, b2 = 0.99;
        Variable w = Variable.parameter(Tensor.of(p0.clone()));
        Optimizer<?> opt = lion(List.of(w), lr, wd);
        double[] p = new double[p0.length], m = new double[p0.length];
        for (int i = 0; i < p0.length; i++) {
            p[i] = p0[i];
        }
        for (float[] g : grads) {
            w.setGrad(Tensor.of(g));
            opt.step();
            for (int i = 0; i < p.length; i++) {
                double c = b1 * m[i] + (1 - b1) * g[i];
                p[i] = p[i] * (1 - lr * wd) - lr * Math.signum(c);
                m[i] = b2 * m[i] + (1 - b2) * g[i];
            }
        }
        float[] got = w.data().toArray();
        for (int i = 0; i < p.length; i++) {
            assertEquals(p[i], got[i], 1e-6, "element " + i);
        }
        // Step 4 of element 3 must have moved against the sign of c, not of g: c = 0.9·m + 0.1·0.5 with m < 0.
        assertTrue(m[3] < 0 && got[3] != p0[3], "element 3 exercises the interpolation");
    }

    @Test
    void aLionStepAllocatesNothingProportionalToTheParameters() throws Exception {
        int n = 1 << 20;                                   // 4 MB of parameters
        Variable w = Variable.parameter(Tensor.randn(new int[] {n}, 3));
        w.setGrad(Tensor.randn(new int[] {n}, 4));
        Optimizer<?> opt = lion(List.of(w), 1e-3, 0.01);
        var threads = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        for (int i = 0; i < 200; i++) {                    // the first step creates the momentum buffer
            opt.step();
        }
        long before = threads.getCurrentThreadAllocatedBytes();
        for (int i = 0; i < 20; i++) {
            opt.step();
        }
        long perStep = (threads.getCurrentThreadAllocatedBytes() - before) / 20;
        assertTrue(perStep < 4096, "a Lion step over " + n + " parameters allocated " + perStep + " bytes");
    }
}
