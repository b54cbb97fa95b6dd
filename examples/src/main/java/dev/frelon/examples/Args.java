package dev.frelon.examples;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;

/** The examples' command-line options: {@code --name value} pairs and {@code --flag}s, with defaults. */
final class Args {
    private final Map<String, String> values = new HashMap<>();

    Args(String[] argv) {
        for (int i = 0; i < argv.length; i++) {
            String a = argv[i];
            if (!a.startsWith("--")) {
                throw new IllegalArgumentException("unexpected argument '" + a + "' (options look like --name value)");
            }
            String key = a.substring(2);
            int eq = key.indexOf('=');
            if (eq >= 0) {
                values.put(key.substring(0, eq), key.substring(eq + 1));
            } else if (i + 1 < argv.length && !argv[i + 1].startsWith("--")) {
                values.put(key, argv[++i]);
            } else {
                values.put(key, "true");
            }
        }
    }

    String string(String key, String dflt) {
        return values.getOrDefault(key, dflt);
    }

    int integer(String key, int dflt) {
        String v = values.get(key);
        try {
            return v == null ? dflt : Integer.parseInt(v);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("--" + key + " expects an integer, got '" + v + "'");
        }
    }

    double number(String key, double dflt) {
        String v = values.get(key);
        try {
            return v == null ? dflt : Double.parseDouble(v);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("--" + key + " expects a number, got '" + v + "'");
        }
    }

    boolean flag(String key) {
        return Boolean.parseBoolean(values.getOrDefault(key, "false"));
    }

    /** The output folder of an example: {@code --out}, or {@code runs/NAME} under the working directory. */
    Path outDir(String name) throws java.io.IOException {
        Path p = Path.of(string("out", "runs/" + name));
        Files.createDirectories(p);
        return p;
    }

    /** The repository's root: {@code -Dfrelon.home} (set by bin/frelon), else the nearest folder upward with examples/. */
    static Path home() {
        String h = System.getProperty("frelon.home");
        if (h != null) {
            return Path.of(h);
        }
        for (Path p = Path.of("").toAbsolutePath(); p != null; p = p.getParent()) {
            if (Files.isRegularFile(p.resolve("examples/pom.xml"))) {
                return p;
            }
        }
        return Path.of("");
    }
}
