package dev.frelon.spark;

import dev.frelon.nn.Losses;
import dev.frelon.optim.SGD;
import org.apache.spark.SparkConf;
import org.apache.spark.SparkExecutorInfo;
import org.apache.spark.api.java.JavaSparkContext;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * Data-parallel training on a real Spark standalone cluster, whose executors are JVMs of their own: what the
 * {@code local[N,F]} tests of {@link SparkTrainerTest} cannot see, because there driver and tasks share one JVM.
 * Here the task closure (the model and optimizer factories, the loss, the fault hook and the driver's checkpoint)
 * is serialized to other processes, the shards are cached in the executors' block managers, the results and the
 * new state travel back, and the two barrier tasks exchange gradients over TCP ({@link SocketRing}) between two
 * executor JVMs. The run must still give the bits of the in-process ring simulation.
 *
 * <p><b>How the cluster is made</b>, without a Spark distribution (only the Maven jars on the test class path):
 * the master URL {@code local-cluster[2,1,1024]} makes the {@code SparkContext} start a standalone Master and two
 * Workers (one core, 1 GiB each) inside the test JVM, and the Workers launch each executor as a separate
 * {@code java} process. A Worker builds that command from its Spark home: in Spark 4.2 it reads the home from the
 * {@code spark.test.home} system property when {@code spark.testing} is set (from {@code SPARK_HOME} otherwise), and
 * the launcher ({@code WorkerCommandBuilder}) wants a {@code jars/} directory there (and, lacking
 * {@code SPARK_SCALA_VERSION}, a {@code launcher/target/scala-2.13/} directory, which is how it tells the Scala
 * version). So the test makes a temporary home holding both, empty, and sets the two properties while the context
 * starts (they are restored afterwards). The executors' class path is the test JVM's {@code java.class.path}
 * (Spark's and Frelon's jars, and the {@code target/classes} and {@code target/test-classes} directories), passed
 * with {@code spark.executor.extraClassPath}; their JVM options are {@link SparkJvmOptions#options()}, the test
 * JVM's thread stack size and Frelon's {@code frelon.*} system properties (so that the kernels take the same paths
 * as in this JVM), passed with {@code spark.executor.extraJavaOptions}. When the executors do not come up, the test
 * fails and quotes their output (from the Workers' temporary {@code worker-*} directories).
 *
 * <p>The driver binds to 127.0.0.1; the Master, Workers and executors do too when {@code SPARK_LOCAL_IP=127.0.0.1}
 * is in the environment, as spark/pom.xml sets it for the tests (without it they take the machine's first
 * non-loopback address, which works as well).
 *
 * <p>Side effects of {@code spark.testing}, which this test accepts: Spark then also gives the executors the test
 * JVM's class path by itself and runs them with {@code SPARK_TESTING=1} (Spark's own test mode). The executors are
 * children of the test JVM; {@code stopCluster} waits for them to exit and ends any left, so none outlives the test.
 */
class StandaloneClusterTest {

    private static final int EXECUTORS = 2;
    private static final long START_TIMEOUT_MILLIS = 40_000;

    private static Path home;
    private static long clusterStartMillis;
    private static JavaSparkContext sc;

    @BeforeAll
    @Timeout(value = 50, unit = TimeUnit.SECONDS)
    static void startCluster() throws IOException, InterruptedException {
        SparkJvmOptions.check();
        home = Files.createTempDirectory("frelon-spark-home");
        Files.createDirectories(home.resolve("jars"));
        Files.createDirectories(home.resolve("launcher/target/scala-2.13"));

        List<String> executorOptions = new ArrayList<>(SparkJvmOptions.options());
        ManagementFactory.getRuntimeMXBean().getInputArguments().stream().filter(a -> a.startsWith("-Xss"))
                .forEach(executorOptions::add);
        for (String key : System.getProperties().stringPropertyNames()) {
            if (key.startsWith("frelon.")) {
                executorOptions.add(quoted("-D" + key + "=" + System.getProperty(key)));
            }
        }
        SparkConf conf = new SparkConf(false)
                .setMaster("local-cluster[" + EXECUTORS + ",1,1024]").setAppName("frelon-standalone-cluster-test")
                .set("spark.ui.enabled", "false")
                .set("spark.driver.host", "127.0.0.1").set("spark.driver.bindAddress", "127.0.0.1")
                .set("spark.executor.memory", "1024m")
                .set("spark.executor.extraClassPath", System.getProperty("java.class.path"))
                .set("spark.executor.extraJavaOptions", String.join(" ", executorOptions));

        String testing = System.getProperty("spark.testing"), testHome = System.getProperty("spark.test.home");
        clusterStartMillis = System.currentTimeMillis();
        System.setProperty("spark.testing", "1");
        System.setProperty("spark.test.home", home.toString());
        try {
            sc = new JavaSparkContext(conf);
        } catch (RuntimeException e) {
            throw new AssertionError("the local-cluster Spark master did not start: " + e, e);
        } finally {
            restore("spark.testing", testing);
            restore("spark.test.home", testHome);
        }
        sc.setLogLevel("ERROR");

        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(START_TIMEOUT_MILLIS);
        while (executors().size() < EXECUTORS) {
            if (System.nanoTime() > deadline) {
                fail("the standalone cluster did not get " + EXECUTORS + " executors in " + START_TIMEOUT_MILLIS / 1000
                        + " s (it has " + executors().size() + "): executor JVMs could not start or reach the driver."
                        + executorLogs());
            }
            Thread.sleep(100);
        }
    }

    @AfterAll
    @Timeout(value = 30, unit = TimeUnit.SECONDS)
    static void stopCluster() throws IOException, InterruptedException {
        try {
            if (sc != null) {
                sc.stop();   // stops the Workers, which kill their executors
            }
        } finally {
            sc = null;
            // The executors are children of this JVM: wait for them to go, and end any the Workers left behind.
            List<ProcessHandle> left = executorProcesses();
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
            while (!left.isEmpty() && System.nanoTime() < deadline) {
                Thread.sleep(100);
                left = executorProcesses();
            }
            left.forEach(ProcessHandle::destroyForcibly);
            if (home != null) {
                deleteRecursively(home);
            }
        }
    }

    @Test
    @Timeout(value = 40, unit = TimeUnit.SECONDS, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
    void synchronousTrainingAcrossTwoExecutorJvmsGivesTheBitsOfTheInProcessRing() throws Exception {
        Path pids = Files.createDirectory(home.resolve("pids"));
        String dir = pids.toString();
        SparkTrainer.Result r = SparkTrainer.builder(SparkTrainerTest::mlp, p -> new SGD(p, 0.1, SGD.momentum(0.9)),
                        Losses::crossEntropy)
                .workers(2).batchPerWorker(8).epochs(3).seed(3).out(null)
                .faultInjector((worker, attempt, epoch, step) -> {
                    if (step == 0) {   // the training task itself tells which JVM runs it
                        try {
                            Files.writeString(Path.of(dir, worker + "-" + epoch),
                                    Long.toString(ProcessHandle.current().pid()), StandardCharsets.UTF_8);
                        } catch (IOException e) {
                            throw new UncheckedIOException(e);
                        }
                    }
                })
                .build().fit(sc.parallelize(SparkTrainerTest.data(), 2));

        ShardPlan plan = new ShardPlan(SparkTrainerTest.N, 2, 8, 3);
        float[] cluster = SparkTrainerTest.flatParameters(r.model());
        double d = SparkTrainerTest.relativeDistance(cluster,
                SparkTrainerTest.flatParameters(SparkTrainerTest.trainAlone(plan, 3)));
        assertTrue(d < 1e-6, "relative distance to single-machine training " + d);
        assertArrayEquals(SparkTrainerTest.flatParameters(SparkTrainerTest.trainInThreads(plan, 3)), cluster,
                "the cluster run equals two replicas exchanging through memory");
        assertEquals(3L * SparkTrainerTest.N, r.history().report().samples());
        assertEquals(1, r.timings().stages(), "one stage holds the whole run");
        assertEquals(3, r.timings().intervals());

        // Two executors besides the driver, and every stage's two tasks ran in two different executor JVMs.
        assertEquals(EXECUTORS, executors().size(), "executors: " + executors());
        long driver = ProcessHandle.current().pid();
        for (int epoch = 0; epoch < 3; epoch++) {
            long w0 = pid(pids, 0, epoch), w1 = pid(pids, 1, epoch);
            assertNotEquals(w0, w1, "epoch " + epoch + ": both workers ran in JVM " + w0);
            assertNotEquals(driver, w0, "worker 0 ran in the driver's JVM");
            assertNotEquals(driver, w1, "worker 1 ran in the driver's JVM");
        }
        Set<Long> children = new HashSet<>();
        executorProcesses().forEach(p -> children.add(p.pid()));
        assertTrue(children.contains(pid(pids, 0, 0)) && children.contains(pid(pids, 1, 0)),
                "the workers' JVMs are the executors this JVM's Workers launched: " + children);
    }

    private static long pid(Path dir, int worker, int epoch) throws IOException {
        return Long.parseLong(Files.readString(dir.resolve(worker + "-" + epoch), StandardCharsets.UTF_8).trim());
    }

    /** The executors registered with the driver; the status tracker lists the driver's block manager too. */
    private static List<SparkExecutorInfo> executors() {
        var driver = sc.sc().env().blockManager().blockManagerId();
        List<SparkExecutorInfo> out = new ArrayList<>();
        for (SparkExecutorInfo e : sc.sc().statusTracker().getExecutorInfos()) {
            if (!(e.host().equals(driver.host()) && e.port() == driver.port())) {
                out.add(e);
            }
        }
        return out;
    }

    /**
     * The executor JVMs: the Workers run in this JVM and start each executor with a {@code ProcessBuilder}, so they
     * are the {@code java} processes among its descendants (the JDK may not see their long command lines).
     */
    private static List<ProcessHandle> executorProcesses() {
        return ProcessHandle.current().descendants().filter(ProcessHandle::isAlive)
                .filter(p -> p.info().command().map(c -> Path.of(c).getFileName().toString().equals("java"))
                        .orElse(false))
                .toList();
    }

    /**
     * The end of the executors' output, for the failure message. In Spark's test mode each Worker of a
     * {@code local-cluster} works in a new {@code worker-*} directory of {@code java.io.tmpdir}, where every executor
     * it launched has a directory (named by its id) with its {@code stdout} and {@code stderr}; of the Workers made
     * since the cluster started, the output of the last executor that wrote more than its command line is quoted
     * (the JVM writes its own start-up errors to stdout; the Workers relaunch failed executors).
     */
    private static String executorLogs() {
        StringBuilder s = new StringBuilder();
        try (Stream<Path> dirs = Files.list(Path.of(System.getProperty("java.io.tmpdir")))) {
            List<Path> workers = dirs.filter(d -> d.getFileName().toString().startsWith("worker-")
                    && Files.isDirectory(d) && d.toFile().lastModified() >= clusterStartMillis - 1000).toList();
            for (Path worker : workers) {
                try (Stream<Path> files = Files.walk(worker)) {
                    List<Path> executorDirs = files.filter(f -> f.getFileName().toString().equals("stderr"))
                            .map(Path::getParent)
                            .sorted(Comparator.comparingLong(StandaloneClusterTest::executorId).reversed()).toList();
                    for (Path dir : executorDirs) {
                        List<String> lines = new ArrayList<>();
                        for (String name : List.of("stdout", "stderr")) {
                            Path f = dir.resolve(name);
                            if (Files.isRegularFile(f)) {
                                Files.readAllLines(f, StandardCharsets.UTF_8).stream()
                                        .filter(l -> !l.startsWith("Spark Executor Command:")
                                                && !l.startsWith("=====") && !l.isBlank())
                                        .map(l -> l.length() > 300 ? l.substring(0, 300) + "..." : l)
                                        .forEach(lines::add);
                            }
                        }
                        if (!lines.isEmpty()) {
                            s.append("\n--- ").append(dir).append(" stdout and stderr (last lines) ---\n").append(
                                    String.join("\n", lines.subList(Math.max(0, lines.size() - 25), lines.size())));
                            break;
                        }
                    }
                }
            }
        } catch (IOException | UncheckedIOException e) {
            s.append("\n(could not read the executor logs: ").append(e).append(')');
        }
        return s.isEmpty() ? " No executor output was found: did the Workers launch any?" : s.toString();
    }

    private static long executorId(Path executorDir) {
        try {
            return Long.parseLong(executorDir.getFileName().toString());
        } catch (NumberFormatException e) {
            return -1;
        }
    }

    private static String quoted(String option) {
        return option.chars().anyMatch(Character::isWhitespace) ? '"' + option.replace("\"", "\\\"") + '"' : option;
    }

    private static void restore(String key, String value) {
        if (value == null) {
            System.clearProperty(key);
        } else {
            System.setProperty(key, value);
        }
    }

    private static void deleteRecursively(Path root) throws IOException {
        try (Stream<Path> all = Files.walk(root)) {
            for (Path p : all.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        }
    }
}
