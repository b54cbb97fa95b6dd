package dev.frelon.spark;

import dev.frelon.autodiff.Context;
import dev.frelon.autodiff.Function;
import dev.frelon.autodiff.Variable;
import dev.frelon.core.Rng;
import dev.frelon.core.Tensor;
import dev.frelon.core.TensorStorage;
import dev.frelon.nn.Dropout;
import dev.frelon.nn.Linear;
import dev.frelon.nn.Losses;
import dev.frelon.nn.ReLU;
import dev.frelon.nn.Sequential;
import dev.frelon.nn.Models;
import dev.frelon.nn.Module;
import dev.frelon.optim.Optimizer;
import dev.frelon.optim.SGD;
import org.apache.spark.SparkException;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import scala.Tuple2;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Data-parallel training in a local Spark ({@code local[2,4]}: two task slots, four attempts per task, so that a
 * failed barrier stage is retried) against single-machine training on the same global batches.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)   // a wait that misses Spark's kill would take 300 s
class SparkTrainerTest {

    static final int N = 203, FEATURES = 5, CLASSES = 3;
    static SparkSession spark;
    static JavaSparkContext sc;

    @BeforeAll
    static void startSpark() {
        spark = LocalSpark.start("local[2,4]", "frelon-spark-test");
        sc = JavaSparkContext.fromSparkContext(spark.sparkContext());
    }

    @AfterAll
    static void stopSpark() {
        spark.stop();
    }

    /** Three classes in five features: class k has its mean at +3 on feature k, with unit Gaussian noise. */
    static List<Sample> data() {
        Rng rng = new Rng(11);
        List<Sample> out = new ArrayList<>();
        for (int i = 0; i < N; i++) {
            int k = i % CLASSES;
            float[] x = new float[FEATURES];
            for (int f = 0; f < FEATURES; f++) {
                x[f] = (float) rng.nextGaussian() + (f == k ? 3f : 0f);
            }
            out.add(Sample.of(x, k));
        }
        return out;
    }

    static Module mlp() {
        return Models.mlp(new Rng(5), FEATURES, 16, CLASSES);
    }

    static SparkTrainer.Builder builder() {
        return SparkTrainer.builder(SparkTrainerTest::mlp, p -> new SGD(p, 0.1, SGD.momentum(0.9)),
                        Losses::crossEntropy)
                .workers(2).batchPerWorker(8).epochs(8).seed(3).out(null);
    }

    /** Plain single-machine training on the plan's global batches: the definition the Spark run must meet. */
    static Module trainAlone(ShardPlan plan, int epochs) {
        return trainAlone(plan, epochs, SparkTrainerTest::mlp, data());
    }

    static Module trainAlone(ShardPlan plan, int epochs, SparkTrainer.ModelFactory factory, List<Sample> data) {
        return trainAlone(plan, epochs, factory, data, p -> new SGD(p, 0.1, SGD.momentum(0.9)));
    }

    static Module trainAlone(ShardPlan plan, int epochs, SparkTrainer.ModelFactory factory, List<Sample> data,
                             SparkTrainer.OptimizerFactory optimizer) {
        return trainAlone(plan, epochs, factory, data, optimizer, null);
    }

    static Module trainAlone(ShardPlan plan, int epochs, SparkTrainer.ModelFactory factory, List<Sample> data,
                             SparkTrainer.OptimizerFactory optimizer, SparkTrainer.SchedulerFactory scheduler) {
        Module model = factory.create();
        Optimizer<?> opt = optimizer.create(model.parameters());
        var schedule = scheduler == null ? null : scheduler.create(opt);
        for (int e = 0; e < epochs; e++) {
            if (e > 0 && schedule != null) {
                schedule.step();
            }
            for (int s = 0; s < plan.stepsPerEpoch(); s++) {
                long[] batch = plan.globalBatch(e, s);
                Tensor[] xs = new Tensor[batch.length], ys = new Tensor[batch.length];
                for (int i = 0; i < batch.length; i++) {
                    xs[i] = data.get((int) batch[i]).input();
                    ys[i] = data.get((int) batch[i]).target();
                }
                Variable loss = Losses.crossEntropy(model.forward(Tensor.stack(0, xs)), Tensor.stack(0, ys));
                opt.zeroGrad();
                loss.backward();
                opt.step();
            }
        }
        return model;
    }

    static float[] flatParameters(Module m) {
        List<Float> all = new ArrayList<>();
        for (Variable p : m.parameters()) {
            for (float v : p.data().toArray()) {
                all.add(v);
            }
        }
        float[] out = new float[all.size()];
        for (int i = 0; i < out.length; i++) {
            out[i] = all.get(i);
        }
        return out;
    }

    static double relativeDistance(float[] a, float[] b) {
        double num = 0, den = 0;
        for (int i = 0; i < a.length; i++) {
            num += (double) (a[i] - b[i]) * (a[i] - b[i]);
            den += (double) b[i] * b[i];
        }
        return Math.sqrt(num / den);
    }

    @Test
    void synchronousTrainingMatchesSingleMachineTrainingOnTheGlobalBatch() {
        JavaRDD<Sample> rdd = sc.parallelize(data(), 3);
        SparkTrainer.Result r = builder().build().fit(rdd);
        ShardPlan plan = new ShardPlan(N, 2, 8, 3);
        assertEquals(104, 8 * plan.stepsPerEpoch(), "the test runs past 100 steps");
        float[] spark = flatParameters(r.model()), alone = flatParameters(trainAlone(plan, 8));
        double d = relativeDistance(spark, alone);
        assertTrue(d < 1e-6, "relative distance to single-machine training " + d);
        assertFalse(Arrays.equals(spark, flatParameters(mlp())), "training moved the parameters");
        // The model learnt the task, and the history adds up over both workers.
        var last = r.history().last();
        assertTrue(last.trainAccuracy() > 0.9, "accuracy " + last.trainAccuracy());
        assertTrue(r.history().epochs().get(0).trainLoss() > last.trainLoss());
        assertEquals(8L * N, r.history().report().samples());
        assertEquals(1, r.timings().stages(), "one stage holds the whole run");
        assertEquals(8, r.timings().intervals());
        assertEquals(104, r.timings().steps());
        assertTrue(r.history().report().flops() > 0);
    }

    @Test
    void theSameSeedAndWorkerCountGiveTheSameBitsAsAnInProcessRun() throws Exception {
        JavaRDD<Sample> rdd = sc.parallelize(data(), 4);
        float[] first = flatParameters(builder().epochs(3).checkpointEvery(5).build().fit(rdd).model());
        float[] second = flatParameters(builder().epochs(3).build().fit(sc.parallelize(data(), 1)).model());
        assertArrayEquals(first, second, "stage length and input partitioning do not change the bits");
        assertArrayEquals(first, flatParameters(trainInThreads(new ShardPlan(N, 2, 8, 3), 3)),
                "the Spark run equals two replicas exchanging through memory");
    }

    @Test
    void oneWorkerIsExactlySingleMachineTraining() {
        SparkTrainer.Result r = builder().workers(1).batchPerWorker(16).epochs(2).build()
                .fit(sc.parallelize(data(), 2));
        assertArrayEquals(flatParameters(trainAlone(new ShardPlan(N, 1, 16, 3), 2)), flatParameters(r.model()));
    }

    @Test
    void aFailedTaskIsRetriedFromTheDriversCheckpointWithTheSameResult() {
        JavaRDD<Sample> rdd = sc.parallelize(data(), 2);
        SparkTrainer.Result whole = builder().epochs(3).checkpointEvery(4).build().fit(rdd);
        SparkTrainer.Result r = builder().epochs(3).checkpointEvery(4)
                .faultInjector((worker, attempt, epoch, step) -> {
                    if (worker == 1 && attempt == 0 && epoch == 1 && step == 6) {
                        throw new IllegalStateException("injected failure");
                    }
                })
                .build().fit(rdd);
        assertArrayEquals(flatParameters(whole.model()), flatParameters(r.model()));
        for (int e = 0; e < 3; e++) {
            assertEquals(whole.history().epochs().get(e).trainLoss(), r.history().epochs().get(e).trainLoss());
            assertEquals(whole.history().epochs().get(e).trainAccuracy(), r.history().epochs().get(e).trainAccuracy());
        }
        assertEquals(3L * N, r.history().report().samples(), "no example skipped or used twice");
    }

    @Test
    void aTaskThatFailsBuildingItsReplicaDoesNotStrandTheOthers() {
        // Worker 1 fails while building its replica, so worker 0 waits for it in the first sum: Spark's kill must
        // reach that wait, or the retried stage finds no free slot.
        SparkTrainer.ModelFactory flaky = () -> {
            org.apache.spark.TaskContext t = org.apache.spark.TaskContext.get();
            if (t != null && t.partitionId() == 1 && t.stageAttemptNumber() == 0) {
                throw new IllegalStateException("replica failed to build");
            }
            return mlp();
        };
        JavaRDD<Sample> rdd = sc.parallelize(data(), 2);
        float[] expected = flatParameters(builder().epochs(1).build().fit(rdd).model());
        SparkTrainer.Result r = SparkTrainer.builder(flaky, p -> new SGD(p, 0.1, SGD.momentum(0.9)),
                Losses::crossEntropy).workers(2).batchPerWorker(8).epochs(1).seed(3).out(null).build().fit(rdd);
        assertArrayEquals(expected, flatParameters(r.model()));
    }

    /** The stage attempts that reached worker 0's step 2 of epoch 1, in order (local mode: one JVM). */
    private static final List<Integer> ATTEMPTS_SEEN = java.util.Collections.synchronizedList(new ArrayList<>());

    @Test
    void whenSparkGivesUpOnAStageThatMadeProgressTheRunGoesOnInANewOne() {
        JavaRDD<Sample> rdd = sc.parallelize(data(), 2);
        SparkTrainer.Result whole = builder().epochs(2).build().fit(rdd);
        ATTEMPTS_SEEN.clear();
        // Worker 0 fails at the same step four times running: Spark gives up on the stage after four attempts
        // (spark.stage.maxConsecutiveAttempts), but the stage had finished epoch 0, so a new stage goes on from the
        // driver's checkpoint, and its first attempt (attempt 0 again) gets through.
        SparkTrainer.Result r = builder().epochs(2).faultInjector((worker, attempt, epoch, step) -> {
            if (worker == 0 && epoch == 1 && step == 2) {
                ATTEMPTS_SEEN.add(attempt);
                if (ATTEMPTS_SEEN.size() <= 4) {
                    throw new IllegalStateException("flaky worker, failure " + ATTEMPTS_SEEN.size());
                }
            }
        }).build().fit(rdd);
        assertEquals(List.of(0, 1, 2, 3, 0), ATTEMPTS_SEEN, "four attempts of the first stage, then a new stage");
        assertArrayEquals(flatParameters(whole.model()), flatParameters(r.model()));
        assertEquals(5, r.timings().stages());
        assertEquals(2, r.timings().intervals(), "the retried interval counts once");
        assertEquals(2L * N, r.history().report().samples(), "no example skipped or used twice");
    }

    @Test
    void aFailureOnTheDriverCancelsTheStageAndLeavesSparkUsable() throws Exception {
        // Validation data of 7 features for a model of 5: the driver's evaluation after epoch 1 throws.
        var wrong = new dev.frelon.train.data.TensorDataset(Tensor.zeros(4, 7), Tensor.zeros(4));
        var e = assertThrows(IllegalArgumentException.class, () -> builder().epochs(3)
                .validation(dev.frelon.train.data.DataLoader.builder(wrong).batchSize(4).build())
                .build().fit(sc.parallelize(data(), 2)));
        assertTrue(String.valueOf(e.getMessage()).contains("7"), e.getMessage());
        // The same context trains again, to the same bits as ever.
        JavaRDD<Sample> rdd = sc.parallelize(data(), 2);
        assertArrayEquals(flatParameters(trainInThreads(new ShardPlan(N, 2, 8, 3), 1)),
                flatParameters(builder().epochs(1).build().fit(rdd).model()));
    }

    @Test
    void aTaskThatAlwaysFailsEndsTheJobWithItsCause() {
        var e = assertThrows(SparkException.class, () -> builder().epochs(1)
                .faultInjector((worker, attempt, epoch, step) -> {
                    if (worker == 0 && step == 2) {
                        throw new IllegalStateException("broken worker");
                    }
                }).build().fit(sc.parallelize(data(), 2)));
        assertTrue(String.valueOf(e.getMessage()).contains("broken worker"), e.getMessage());
    }

    @Test
    void parameterAveragingEveryStepWithPlainSgdIsSynchronousTraining() {
        // With equal local batches, the mean of the workers' SGD steps is the step on the global mean gradient.
        List<Sample> even = data().subList(0, 192);
        SparkTrainer.Builder b = SparkTrainer.builder(SparkTrainerTest::mlp, p -> new SGD(p, 0.1),
                Losses::crossEntropy).workers(2).batchPerWorker(8).epochs(2).seed(3).out(null);
        float[] sync = flatParameters(b.build().fit(sc.parallelize(even, 2)).model());
        float[] averaged = flatParameters(b.averageEvery(1).build().fit(sc.parallelize(even, 2)).model());
        double d = relativeDistance(averaged, sync);
        assertTrue(d < 1e-6, "relative distance " + d);
        assertFalse(Arrays.equals(averaged, flatParameters(b.averageEvery(4).build().fit(sc.parallelize(even, 2)).model())),
                "averaging every 4 steps is another algorithm");
    }

    @Test
    void parameterAveragingLearnsTheTask() {
        SparkTrainer.Result r = builder().averageEvery(5).epochs(8).build().fit(sc.parallelize(data(), 2));
        assertTrue(r.history().last().trainAccuracy() > 0.8, "accuracy " + r.history().last().trainAccuracy());
        assertEquals(8L * N, r.history().report().samples());
    }

    @Test
    void aWorkerWithNoExamplesAtAStepStillTakesPartAndTheResultIsSingleMachineTraining() throws Exception {
        // 203 examples over 3 workers in batches of 67: shards 68, 68, 67, so the second step gives 1, 1 and 0.
        ShardPlan plan = new ShardPlan(N, 3, 67, 3);
        assertEquals(0, plan.batchPositions(plan.order(0, 2), 1).length);
        double d = relativeDistance(flatParameters(trainInThreads(plan, 2)), flatParameters(trainAlone(plan, 2)));
        assertTrue(d < 1e-6, "relative distance " + d);
    }

    /** An MLP whose first layer is frozen and whose second branch the loss never reaches. */
    static final class PartlyTrained extends Module {
        final Linear frozen = register("frozen", new Linear(FEATURES, 8, true, new Rng(21)));
        final Linear head = register("head", new Linear(8, CLASSES, true, new Rng(22)));
        final Linear unused = register("unused", new Linear(8, CLASSES, true, new Rng(23)));

        PartlyTrained() {
            frozen.weight().requiresGrad(false);
            frozen.bias().requiresGrad(false);
        }

        @Override
        public Variable forward(Variable x) {
            return head.forward(frozen.forward(x).relu());
        }
    }

    @Test
    void frozenAndUnusedParametersStayAsTheyWereWithWeightDecayAndMomentum() {
        SparkTrainer.Result r = SparkTrainer.builder(PartlyTrained::new,
                        p -> new SGD(p, 0.1, SGD.momentum(0.9).withWeightDecay(0.01)), Losses::crossEntropy)
                .workers(2).batchPerWorker(8).epochs(2).seed(3).out(null).build().fit(sc.parallelize(data(), 2));
        PartlyTrained before = new PartlyTrained(), after = (PartlyTrained) r.model();
        assertArrayEquals(before.frozen.weight().data().toArray(), after.frozen.weight().data().toArray());
        assertArrayEquals(before.unused.weight().data().toArray(), after.unused.weight().data().toArray());
        assertArrayEquals(before.unused.bias().data().toArray(), after.unused.bias().data().toArray());
        assertFalse(Arrays.equals(before.head.weight().data().toArray(), after.head.weight().data().toArray()));
        Module alone = trainAlone(new ShardPlan(N, 2, 8, 3), 2, PartlyTrained::new, data(),
                p -> new SGD(p, 0.1, SGD.momentum(0.9).withWeightDecay(0.01)));
        double d = relativeDistance(flatParameters(after), flatParameters(alone));
        assertTrue(d < 1e-6, "relative distance to single-machine training " + d);
    }

    /**
     * x · wᵀ, whose rule leaves w's gradient as a view into a larger new tensor that it made (and may declare its
     * own): a gradient the exchange cannot sum where it lies.
     */
    static final class TimesTransposed extends Function {
        @Override
        protected Tensor forward(Context ctx, Tensor... in) {
            ctx.save(in[0], in[1]);
            return in[0].matmul(in[1].t());
        }

        @Override
        protected Tensor[] backward(Context ctx, Tensor grad) {
            Tensor x = ctx.saved(0), w = ctx.saved(1);
            Tensor padded = Tensor.zeros(CLASSES + 1, FEATURES);
            Tensor gw = padded.narrow(0, 1, CLASSES).copyFrom(grad.t().matmul(x));
            return new Tensor[] {grad.matmul(w), ctx.fresh(gw)};
        }
    }

    /**
     * x · (a + b)ᵀ, whose rule gives a and b one array as their gradients (a new tensor, and a reshaped view of
     * it), as a rule may: the sum must not add that array twice.
     */
    static final class TimesSumTransposed extends Function {
        @Override
        protected Tensor forward(Context ctx, Tensor... in) {
            Tensor w = in[1].add(in[2]);
            ctx.save(in[0], w);
            return in[0].matmul(w.t());
        }

        @Override
        protected Tensor[] backward(Context ctx, Tensor grad) {
            Tensor x = ctx.saved(0), w = ctx.saved(1);
            Tensor gw = grad.t().matmul(x);
            return new Tensor[] {grad.matmul(w), ctx.fresh(gw), ctx.fresh(gw.reshape(CLASSES * FEATURES).reshape(CLASSES, FEATURES))};
        }
    }

    /** A linear classifier through {@link TimesTransposed}, or with two weights through {@link TimesSumTransposed}. */
    static final class OddGradients extends Module {
        final boolean shared;
        final Variable weight = register("weight", Variable.parameter(Tensor.randn(new Rng(31), CLASSES, FEATURES)));
        final Variable other = register("other", Variable.parameter(Tensor.randn(new Rng(32), CLASSES, FEATURES)));

        OddGradients(boolean shared) {
            this.shared = shared;
            if (!shared) {
                other.requiresGrad(false);
            }
        }

        @Override
        public Variable forward(Variable x) {
            return shared ? new TimesSumTransposed().apply(x, weight, other) : new TimesTransposed().apply(x, weight);
        }
    }

    /** Trains {@code factory}'s model on Spark and checks it against the queue ring's bits and single-machine training. */
    private void trainsAsAlone(SparkTrainer.ModelFactory factory) throws Exception {
        SparkTrainer.Result r = SparkTrainer.builder(factory, p -> new SGD(p, 0.1, SGD.momentum(0.9)),
                Losses::crossEntropy).workers(2).batchPerWorker(8).epochs(3).seed(3).out(null).build()
                .fit(sc.parallelize(data(), 2));
        ShardPlan plan = new ShardPlan(N, 2, 8, 3);
        assertArrayEquals(flatParameters(trainInThreads(plan, 3, factory, data())), flatParameters(r.model()),
                "the in-JVM sum equals the ring's");
        double d = relativeDistance(flatParameters(r.model()), flatParameters(trainAlone(plan, 3, factory, data())));
        assertTrue(d < 1e-6, "relative distance to single-machine training " + d);
    }

    /** One example's loss through the model, back-propagated. */
    private static OddGradients backwardOnce(OddGradients m) {
        Losses.crossEntropy(m.forward(Variable.of(Tensor.stack(0, data().get(0).input()))),
                Tensor.stack(0, data().get(0).target())).backward();
        return m;
    }

    @Test
    void aGradientLeftAsAViewIsCopiedForTheSum() throws Exception {
        OddGradients probe = backwardOnce(new OddGradients(false));
        assertEquals(FEATURES, TensorStorage.offset(probe.weight.grad()), "the rule's gradient reaches w as a view");
        trainsAsAlone(() -> new OddGradients(false));
    }

    @Test
    void anArrayThatIsTwoParametersGradientsIsSummedOnce() throws Exception {
        OddGradients probe = backwardOnce(new OddGradients(true));
        assertSame(TensorStorage.array(probe.weight.grad()), TensorStorage.array(probe.other.grad()),
                "the rule's gradients reach a and b as one array");
        trainsAsAlone(() -> new OddGradients(true));
    }

    /** The MLP with dropout, whose masks come from the default generator that the trainer seeds per task. */
    static Module mlpWithDropout() {
        Rng rng = new Rng(5);
        return new Sequential(new Linear(FEATURES, 16, true, rng), new ReLU(), new Dropout(0.3f),
                new Linear(16, CLASSES, true, rng));
    }

    @Test
    void dropoutMasksGiveTheSameBitsOnEveryRunAndAfterARetry() {
        JavaRDD<Sample> rdd = sc.parallelize(data(), 2);
        SparkTrainer.Builder b = SparkTrainer.builder(SparkTrainerTest::mlpWithDropout,
                p -> new SGD(p, 0.1, SGD.momentum(0.9)), Losses::crossEntropy)
                .workers(2).batchPerWorker(8).epochs(2).seed(3).checkpointEvery(5).out(null);
        float[] first = flatParameters(b.build().fit(rdd).model());
        assertArrayEquals(first, flatParameters(b.build().fit(rdd).model()));
        float[] retried = flatParameters(b.faultInjector((worker, attempt, epoch, step) -> {
            if (worker == 0 && attempt == 0 && epoch == 1 && step == 7) {
                throw new IllegalStateException("injected failure");
            }
        }).build().fit(rdd).model());
        assertArrayEquals(first, retried);
    }

    @Test
    void aFourMillionParameterModelMatchesTheThreadedRing() throws Exception {
        // 1024·4200 + 4200 parameters: each of the two ring chunks is 8.6 MB. In local mode the tasks share the JVM
        // and exchange through memory; SocketRingTest and StandaloneClusterTest send such chunks over TCP.
        List<Sample> wide = new ArrayList<>();
        Rng rng = new Rng(31);
        for (int i = 0; i < 12; i++) {
            float[] x = new float[1024];
            for (int j = 0; j < x.length; j++) {
                x[j] = (float) rng.nextGaussian();
            }
            wide.add(Sample.of(x, i % 4200));
        }
        SparkTrainer.ModelFactory big = () -> new Linear(1024, 4200, true, new Rng(32));
        ShardPlan plan = new ShardPlan(12, 2, 2, 3);
        Module spark = SparkTrainer.builder(big, p -> new SGD(p, 0.1, SGD.momentum(0.9)), Losses::crossEntropy)
                .workers(2).batchPerWorker(2).epochs(1).seed(3).out(null).build().fit(sc.parallelize(wide, 2)).model();
        assertArrayEquals(flatParameters(trainInThreads(plan, 1, big, wide)), flatParameters(spark));
    }

    @Test
    void adamStateAndTheDriversScheduleReachTheWorkersAcrossStages() {
        SparkTrainer.OptimizerFactory adam = p -> new dev.frelon.optim.Adam(p, 0.01);
        SparkTrainer.SchedulerFactory halve = opt -> new dev.frelon.optim.Schedulers.StepLR(opt, 1, 0.5);
        SparkTrainer.Result r = SparkTrainer.builder(SparkTrainerTest::mlp, adam, Losses::crossEntropy)
                .workers(2).batchPerWorker(8).epochs(3).seed(3).checkpointEvery(4).scheduler(halve).out(null)
                .build().fit(sc.parallelize(data(), 2));
        assertEquals(List.of(0.01, 0.005, 0.0025),
                r.history().epochs().stream().map(e -> e.learningRate()).toList());
        Module alone = trainAlone(new ShardPlan(N, 2, 8, 3), 3, SparkTrainerTest::mlp, data(), adam, halve);
        double d = relativeDistance(flatParameters(r.model()), flatParameters(alone));
        assertTrue(d < 1e-6, "relative distance to single-machine Adam with the same schedule " + d);
    }

    @Test
    void rejectsFewerExamplesThanWorkers() {
        var e = assertThrows(IllegalArgumentException.class,
                () -> builder().workers(2).build().fit(sc.parallelize(data().subList(0, 1), 1)));
        assertTrue(e.getMessage().contains("SparkTrainer: 1 examples cannot feed 2 workers"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> builder().workers(3).build().fit(sc.parallelize(data(), 2)));
        assertTrue(e.getMessage().contains("3 workers need as many task slots at once, the master local[2,4] has 2"),
                e.getMessage());
    }

    @Test
    void rejectsSamplesOfDifferentShapes() {
        List<Sample> mixed = new ArrayList<>(data().subList(0, 10));
        mixed.set(7, Sample.of(new float[] {1, 2}, 0));
        var e = assertThrows(SparkException.class, () -> builder().build().fit(sc.parallelize(mixed, 2)));
        assertTrue(e.getMessage().contains("example 7 has x shape [2]"), e.getMessage());
    }

    @Test
    void theJvmHasSparksOptionsAndTheyAreSparksOwnList() {
        assertEquals(List.of(), SparkJvmOptions.missingOpens());
        assertEquals(Arrays.asList(org.apache.spark.launcher.JavaModuleOptions.defaultModuleOptionArray()),
                SparkJvmOptions.options());
    }

    /** Two replicas in two threads of this JVM, on a ring through memory: Spark and the sockets taken away. */
    static Module trainInThreads(ShardPlan plan, int epochs) throws Exception {
        return trainInThreads(plan, epochs, SparkTrainerTest::mlp, data());
    }

    static Module trainInThreads(ShardPlan plan, int epochs, SparkTrainer.ModelFactory factory, List<Sample> data)
            throws Exception {
        int n = plan.workers();
        LocalRing.Wires ring = new LocalRing.Wires(n);
        Module driver = factory.create();
        Optimizer<?> driverOpt = new SGD(driver.parameters(), 0.1, SGD.momentum(0.9));
        ExecutorService pool = Executors.newFixedThreadPool(n);
        try {
            for (int e = 0; e < epochs; e++) {
                TrainingState start = TrainingState.capture(driver, driverOpt);
                int epoch = e;
                List<Future<SegmentResult>> futures = new ArrayList<>();
                for (int w = 0; w < n; w++) {
                    int worker = w;
                    RingLink link = ring.link(worker, () -> { });
                    futures.add(pool.submit(() -> {
                        Module m = factory.create();
                        Optimizer<?> o = new SGD(m.parameters(), 0.1, SGD.momentum(0.9));
                        start.restore(m, o, worker);
                        return new ReplicaTrainer(worker, m, o, Losses::crossEntropy, shard(plan, worker, data), plan,
                                new RingAllReduce(worker, n, link), 0).run(epoch, 0, plan.stepsPerEpoch(), (ep, s) -> { });
                    }));
                }
                for (int w = n - 1; w >= 0; w--) {
                    futures.get(w).get();
                }
                futures.get(0).get().state().restore(driver, driverOpt, 0);
            }
        } finally {
            pool.shutdownNow();
        }
        return driver;
    }

    static Shard shard(ShardPlan plan, int worker, List<Sample> data) {
        List<Tuple2<Long, Sample>> mine = new ArrayList<>();
        for (int i = worker; i < data.size(); i += plan.workers()) {
            mine.add(new Tuple2<>((long) i, data.get(i)));
        }
        return Shard.pack(worker, plan, mine.iterator());
    }
}
