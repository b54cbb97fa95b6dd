package dev.frelon.spark;

import java.util.ArrayList;
import java.util.List;

/**
 * The JVM options Spark needs on Java 25, and a check that they are in effect.
 *
 * <p>Spark and its libraries (Netty, Kryo, Hadoop's utilities) reach into JDK internals that Java 17 and later close
 * by default. {@code spark-submit} and Spark's scripts add these options themselves (Spark's launcher keeps the
 * list); a program that starts Spark in its own JVM, as {@code local[*]} runs and tests do, must pass them on its
 * command line, as {@code bin/frelon run} and the Maven builds of Frelon do:
 *
 * <pre>{@code
 * java $(the options below) -cp ... dev.frelon.examples.SparkFashionMnist
 * }</pre>
 *
 * <p>Spark 4.2 asks for Java 25.0.3 or later on Java 25: earlier builds have a G1 bug that can corrupt data.
 */
public final class SparkJvmOptions {

    /** The packages Spark opens to the class path (Spark 4.2's launcher list), as {@code module/package}. */
    private static final String[] OPENS = {
        "java.base/java.lang", "java.base/java.lang.invoke", "java.base/java.lang.reflect", "java.base/java.io",
        "java.base/java.net", "java.base/java.nio", "java.base/java.util", "java.base/java.util.concurrent",
        "java.base/java.util.concurrent.atomic", "java.base/jdk.internal.ref", "java.base/sun.nio.ch",
        "java.base/sun.nio.cs", "java.base/sun.security.action", "java.base/sun.util.calendar",
        "java.security.jgss/sun.security.krb5",
    };

    private SparkJvmOptions() {
    }

    /**
     * The options, one per element, in the order Spark's launcher gives them; Frelon's own flag
     * ({@code --add-modules=jdk.incubator.vector}) is among them.
     *
     * @return a new list
     */
    public static List<String> options() {
        List<String> out = new ArrayList<>();
        out.add("-XX:+IgnoreUnrecognizedVMOptions");
        out.add("--add-modules=jdk.incubator.vector");
        for (String p : OPENS) {
            out.add("--add-opens=" + p + "=ALL-UNNAMED");
        }
        out.add("-Dio.netty.tryReflectionSetAccessible=true");
        out.add("-Dio.netty.allocator.type=pooled");
        out.add("-Dio.netty.handler.ssl.defaultEndpointVerificationAlgorithm=NONE");
        out.add("--sun-misc-unsafe-memory-access=allow");
        out.add("--enable-native-access=ALL-UNNAMED");
        return out;
    }

    /**
     * Prints {@link #options()} on one line, separated by spaces, for scripts: {@code bin/frelon run} adds them to
     * the command line of Spark examples.
     *
     * @param args ignored
     */
    public static void main(String[] args) {
        System.out.println(String.join(" ", options()));
    }

    /**
     * The packages of {@link #options()} that this JVM has but does not open to the class path: empty when Spark
     * can start here.
     *
     * @return {@code module/package} names, in the order of the options
     */
    public static List<String> missingOpens() {
        List<String> missing = new ArrayList<>();
        Module unnamed = SparkJvmOptions.class.getClassLoader().getUnnamedModule();
        for (String p : OPENS) {
            String[] mp = p.split("/");
            Module m = ModuleLayer.boot().findModule(mp[0]).orElse(null);
            if (m != null && m.getPackages().contains(mp[1]) && !m.isOpen(mp[1], unnamed)) {   // packages gone from
                // this JDK (sun.security.action on 25) need nothing
                missing.add(p);
            }
        }
        return missing;
    }

    /**
     * Fails with the command-line options to add when this JVM cannot run Spark; call it before creating a
     * {@code SparkSession} in a program of your own, which otherwise fails with an access error from deep inside
     * Spark.
     *
     * @throws IllegalStateException naming the missing options
     */
    public static void check() {
        List<String> missing = missingOpens();
        if (!missing.isEmpty()) {
            throw new IllegalStateException("Spark needs JDK internals opened on Java 25: this JVM lacks "
                    + missing.stream().map(p -> "--add-opens=" + p + "=ALL-UNNAMED").toList()
                    + ". Start java with all of SparkJvmOptions.options(): " + String.join(" ", options()));
        }
    }
}
