package dev.frelon.examples;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Instant;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** {@code bin/frelon run} and {@code train} skip Maven when nothing changed since their last build. */
class FrelonScriptTest {

    private static String buildStatus(Path root) throws Exception {
        Process p = new ProcessBuilder(root.resolve("bin/frelon").toString(), "build-status").redirectErrorStream(true).start();
        if (!p.waitFor(60, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new AssertionError("bin/frelon build-status did not finish");
        }
        return new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
    }

    private static void age(Path file, int secondsAgo) throws Exception {
        Files.setLastModifiedTime(file, FileTime.from(Instant.now().minusSeconds(secondsAgo)));
    }

    @Test
    void aBuildIsReusedUntilASourceResourceOrPomChanges(@TempDir Path root) throws Exception {
        Path script = root.resolve("bin/frelon");
        Files.createDirectories(script.getParent());
        Files.copy(Path.of("..", "bin", "frelon"), script);
        script.toFile().setExecutable(true);
        Path source = root.resolve("nn/src/main/java/dev/frelon/nn/Linear.java");
        Path resource = root.resolve("train/src/main/resources/data.bin");
        Path pom = root.resolve("pom.xml");
        Path output = root.resolve("examples/target/classes/Some.class");
        for (Path f : new Path[] {source, resource, pom, output, root.resolve("examples/target/classpath.txt")}) {
            Files.createDirectories(f.getParent());
            Files.writeString(f, "x");
            age(f, 100);
        }
        assertEquals("stale: no build", buildStatus(root));

        Path stamp = root.resolve("examples/target/frelon-build.stamp");
        Files.writeString(stamp, "");
        age(stamp, 50);
        assertEquals("up to date", buildStatus(root));

        age(output, 10);                                     // build outputs newer than the stamp do not count
        assertEquals("up to date", buildStatus(root));
        for (Path changed : new Path[] {source, resource, pom}) {
            age(changed, 10);
            assertEquals("stale: " + changed, buildStatus(root));
            age(changed, 100);
        }
        Files.delete(root.resolve("examples/target/classpath.txt"));
        assertEquals("stale: no build", buildStatus(root));
    }
}
