package dev.frelon.spark;

import dev.frelon.autodiff.Variable;
import dev.frelon.core.kernel.Parallel;
import dev.frelon.nn.Module;
import dev.frelon.optim.LRScheduler;
import dev.frelon.optim.Optimizer;
import dev.frelon.train.data.DataLoader;
import dev.frelon.train.fit.BatchTotals;
import dev.frelon.train.fit.EpochStats;
import dev.frelon.train.fit.Evaluation;
import dev.frelon.train.fit.History;
import dev.frelon.train.fit.Trainer;
import dev.frelon.train.report.ComputeReport;
import dev.frelon.train.report.ProgressBar;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.storage.StorageLevel;

import java.io.PrintStream;
import java.io.Serializable;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Data-parallel training on Apache Spark: each of N workers holds a replica of the model and trains on its share
 * of the data; the replicas stay equal because they apply the same update.
 *
 * <pre>{@code
 * SparkTrainer.Result r = SparkTrainer.builder(() -> Models.lenet5(new Rng(1)),
 *                 params -> new SGD(params, 0.05, SGD.momentum(0.9)), Losses::crossEntropy)
 *         .workers(2).batchPerWorker(32).epochs(5)
 *         .build().fit(SparkData.fromDataset(sparkContext, trainSet, 8));
 * Module trained = r.model();
 * }</pre>
 *
 * <p><b>Synchronous mode</b> (the default) computes what single-machine training with the global batch
 * {@code N · batchPerWorker} computes. Each step every worker takes its next local batch ({@link ShardPlan} says
 * which examples), computes its share of the gradient of the global batch's mean loss, and the shares are summed
 * by a ring all-reduce over TCP between the tasks, in an order fixed by N; every replica then takes the same
 * optimizer step. Parameters that no worker's loss reached keep no gradient and are left alone, as in
 * single-machine training. For a fixed
 * seed and worker count the result has the same bits on every run. The loss must be a mean over the batch, as
 * Frelon's losses are.
 *
 * <p><b>Parameter averaging</b> ({@link Builder#averageEvery(int)}) lets each worker step on its own batches and
 * replaces the parameters and buffers by their mean every K steps and at the end of each checkpoint interval: K
 * times fewer
 * exchanges, at some cost in accuracy per epoch.
 *
 * <p><b>Stages, checkpoints and failures.</b> The whole run is one Spark barrier stage, whose tasks (the workers)
 * take their orders from the driver: once per {@link Builder#checkpointEvery(int) checkpoint interval} (by default
 * one per epoch) the driver sends its checkpoint (model and optimizer state), the workers run the interval's steps
 * from it, and worker 0 sends the new state back. When a task fails, Spark retries the whole stage, and the new
 * tasks start the interval in progress again from the same checkpoint, so the result is that of an uninterrupted
 * run. Retries need {@code spark.task.maxFailures} above 1: clusters default to 4, a local master needs
 * {@code local[N,F]}. When Spark gives up on the stage (after {@code spark.stage.maxConsecutiveAttempts}, 4 by
 * default) and it had completed an interval, the run goes on in a new stage; one that completed none ends the run
 * with its failure. The driver listens for its workers on one port, free or set with
 * {@code spark.frelon.rendezvous.port}.
 *
 * <p><b>What differs from single-machine training.</b> BatchNorm statistics are each replica's own (computed on
 * its local batch, as in PyTorch's DDP without SyncBatchNorm), and the buffers of worker 0 are kept; dropout masks
 * come from each replica's generator, which is re-created at every checkpoint interval. The number of threads each worker's
 * kernels use is set with {@link Builder#threadsPerWorker}; in local mode, the driver's JVM is the workers' JVM and
 * keeps that setting until {@link #fit} returns.
 *
 * <p>The model, optimizer and loss are given as serializable factories, since each worker builds its own
 * replica. The JVM options Spark needs on Java 25 are in {@link SparkJvmOptions}.
 */
public final class SparkTrainer {

    /** Builds a model; each worker calls it to make its replica, and the driver to make the model it returns. */
    @FunctionalInterface
    public interface ModelFactory extends Serializable {
        /**
         * Creates the model. Its initial parameters do not matter for the replicas: every worker loads the
         * driver's.
         *
         * @return a new model, the same structure at every call
         */
        Module create();
    }

    /** Builds an optimizer over a replica's parameters, e.g. {@code params -> new SGD(params, 0.05)}. */
    @FunctionalInterface
    public interface OptimizerFactory extends Serializable {
        /**
         * Creates the optimizer.
         *
         * @param params the replica's parameters, in {@link Module#parameters()} order
         * @return a new optimizer over them
         */
        Optimizer<?> create(List<Variable> params);
    }

    /** A loss that can be shipped to the workers, e.g. {@code Losses::crossEntropy}; a mean over the batch. */
    @FunctionalInterface
    public interface Loss extends Trainer.LossFn, Serializable {
    }

    /** Builds a learning-rate schedule over the driver's optimizer; it is stepped once per epoch, on the driver. */
    @FunctionalInterface
    public interface SchedulerFactory {
        /**
         * Creates the schedule.
         *
         * @param optimizer the driver's optimizer, whose learning rate the workers receive with each checkpoint
         * @return the schedule
         */
        LRScheduler create(Optimizer<?> optimizer);
    }

    /**
     * Runs on the workers before each step: a way for tests to inject failures (throw to fail the task) and see
     * that training survives them.
     */
    @FunctionalInterface
    public interface FaultInjector extends Serializable {
        /**
         * Called by every worker before every step.
         *
         * @param worker the worker (partition) number
         * @param attempt Spark's attempt number of the stage that runs the training: 0 the first time, more after a
         *        retry, and 0 again in a new stage after Spark gave up on one
         * @param epoch the epoch, from 0
         * @param step the step within the epoch, from 0
         */
        void beforeStep(int worker, int attempt, int epoch, int step);
    }

    /**
     * Where the time of a run went, measured on the workers and the driver.
     *
     * @param stages barrier stage attempts whose tasks all met and took orders: 1, plus one per retry, and one per
     *        new stage after Spark gave up on one
     * @param intervals checkpoint intervals run (an interval that was retried counts once)
     * @param steps steps run
     * @param computeMillisPerStep forward, backward and optimizer time per step, of the slowest worker
     * @param allReduceMillisPerStep time per step in the exchange (waiting for the slowest worker included) of the
     *        worker that spent most in it; in averaging mode, per step, not per exchange
     * @param startMillis the driver's wall time in the first interval beyond the workers' busiest: Spark scheduling
     *        the stage, the tasks registering and opening the ring, and what every interval costs (below)
     * @param intervalOverheadMillis per later interval, the driver's wall time beyond the workers' busiest: sending
     *        the checkpoint, building the replicas and returning the state (NaN when there was only one interval)
     */
    public record Timings(long stages, long intervals, long steps, double computeMillisPerStep,
                          double allReduceMillisPerStep, double startMillis, double intervalOverheadMillis) {
    }

    /**
     * What {@link #fit} returns.
     *
     * @param model the driver's model with the trained parameters
     * @param history per-epoch statistics over all workers, and the compute report of the whole cluster
     * @param timings where the time went
     */
    public record Result(Module model, History history, Timings timings) {
    }

    private final Builder settings;

    private SparkTrainer(Builder b) {
        this.settings = b;
    }

    /**
     * Starts configuring data-parallel training.
     *
     * @param model builds the model (on the driver and on every worker)
     * @param optimizer builds an optimizer over a model's parameters
     * @param loss the loss, a mean over the batch
     * @return a builder: 2 workers, 32 examples per worker per step, 10 epochs, seed 0, synchronous, one thread per
     *         worker, one checkpoint per epoch
     */
    public static Builder builder(ModelFactory model, OptimizerFactory optimizer, Loss loss) {
        return new Builder(model, optimizer, loss);
    }

    /** Settings of a {@link SparkTrainer}. */
    public static final class Builder {
        private final ModelFactory modelFactory;
        private final OptimizerFactory optimizerFactory;
        private final Loss loss;
        private int workers = 2;
        private int batchPerWorker = 32;
        private int epochs = 10;
        private long seed;
        private int threadsPerWorker = 1;
        private int averageEvery;
        private int checkpointEvery;
        private SchedulerFactory scheduler;
        private DataLoader validation;
        private PrintStream out = System.out;
        private FaultInjector faultInjector = (w, a, e, s) -> { };

        private Builder(ModelFactory model, OptimizerFactory optimizer, Loss loss) {
            this.modelFactory = Objects.requireNonNull(model, "SparkTrainer: the model factory is null");
            this.optimizerFactory = Objects.requireNonNull(optimizer, "SparkTrainer: the optimizer factory is null");
            this.loss = Objects.requireNonNull(loss, "SparkTrainer: the loss is null");
        }

        /**
         * Sets the number of workers N: the data is split into N shards, one barrier task each. The cluster must
         * have N free task slots at once (Spark's barrier mode schedules them as one gang).
         *
         * @param n at least 1
         * @return this
         */
        public Builder workers(int n) {
            this.workers = atLeast1("workers", n);
            return this;
        }

        /**
         * Sets the local batch b; the global batch of a step is N·b examples.
         *
         * @param b at least 1
         * @return this
         */
        public Builder batchPerWorker(int b) {
            this.batchPerWorker = atLeast1("batchPerWorker", b);
            return this;
        }

        /**
         * Sets the number of epochs.
         *
         * @param n at least 1
         * @return this
         */
        public Builder epochs(int n) {
            this.epochs = atLeast1("epochs", n);
            return this;
        }

        /**
         * Seeds the shuffles of every epoch (see {@link ShardPlan}).
         *
         * @param seed any value
         * @return this
         */
        public Builder seed(long seed) {
            this.seed = seed;
            return this;
        }

        /**
         * Sets how many threads each worker's kernels use ({@link Parallel#setThreads}); the default 1 suits one
         * task slot per core.
         *
         * @param n at least 1
         * @return this
         */
        public Builder threadsPerWorker(int n) {
            this.threadsPerWorker = atLeast1("threadsPerWorker", n);
            return this;
        }

        /**
         * Switches to parameter averaging: workers step on their own batches and average their parameters and
         * buffers every {@code k} steps (and at the end of every checkpoint interval).
         *
         * @param k the averaging period in steps, at least 1
         * @return this
         */
        public Builder averageEvery(int k) {
            this.averageEvery = atLeast1("averageEvery", k);
            return this;
        }

        /**
         * Sets the checkpoint interval: the steps the workers run from one checkpoint before the driver takes back
         * the state. Shorter intervals lose less work to a failure and move the progress bar more often, at a fixed
         * cost each ({@link Timings#intervalOverheadMillis}). Intervals never span two epochs.
         *
         * @param steps at least 1; the default (0) is one interval per epoch
         * @return this
         */
        public Builder checkpointEvery(int steps) {
            this.checkpointEvery = atLeast1("checkpointEvery", steps);
            return this;
        }

        /**
         * Sets a learning-rate schedule, stepped on the driver at the end of every epoch.
         *
         * @param factory builds the schedule over the driver's optimizer, or null for none
         * @return this
         */
        public Builder scheduler(SchedulerFactory factory) {
            this.scheduler = factory;
            return this;
        }

        /**
         * Evaluates the model on the driver after every epoch.
         *
         * @param data validation batches, or null for none
         * @return this
         */
        public Builder validation(DataLoader data) {
            this.validation = data;
            return this;
        }

        /**
         * Sets where the progress bar and the epoch lines go.
         *
         * @param stream the stream, or null for silence
         * @return this
         */
        public Builder out(PrintStream stream) {
            this.out = stream;
            return this;
        }

        /**
         * Installs a hook that runs on the workers before every step; tests use it to fail a task and check that
         * Spark's retry gives the uninterrupted result.
         *
         * @param injector the hook
         * @return this
         */
        public Builder faultInjector(FaultInjector injector) {
            this.faultInjector = Objects.requireNonNull(injector, "SparkTrainer: the fault injector is null");
            return this;
        }

        /**
         * Creates the trainer.
         *
         * @return the trainer
         */
        public SparkTrainer build() {
            return new SparkTrainer(this);
        }

        private static int atLeast1(String what, int n) {
            if (n < 1) {
                throw new IllegalArgumentException("SparkTrainer: " + what + " must be >= 1, got " + n);
            }
            return n;
        }
    }

    /**
     * Trains on the samples. They are numbered in the RDD's order, split into N shards (example i to worker
     * i mod N) and cached; the RDD must give the same samples in the same order if Spark computes it again.
     *
     * @param samples the training data, at least N samples, all of one input shape and one target shape
     * @return the trained model, the history and the timings
     * @throws IllegalArgumentException when there are fewer samples than workers, or a local master has fewer task
     *         slots than workers (a cluster with too few slots makes Spark wait for them, then fail). Failures on the
     *         workers (samples that differ in shape, a task that fails on every attempt) come as Spark's
     *         {@code SparkException}, which Scala code throws without declaring it.
     */
    public Result fit(JavaRDD<Sample> samples) {
        Builder s = settings;
        String master = samples.context().master();
        int slots = samples.context().defaultParallelism();
        if (master.startsWith("local") && s.workers > slots) {
            throw new IllegalArgumentException("SparkTrainer: " + s.workers + " workers need as many task slots at"
                    + " once, the master " + master + " has " + slots);
        }
        long n = samples.count();
        if (n < s.workers) {
            throw new IllegalArgumentException("SparkTrainer: " + n + " examples cannot feed " + s.workers
                    + " workers; each needs at least one");
        }
        ShardPlan plan = new ShardPlan(n, s.workers, s.batchPerWorker, s.seed);
        int threadsBefore = Parallel.threads();
        JavaRDD<Shard> shards = Shards.of(samples, plan).persist(StorageLevel.MEMORY_AND_DISK());
        var conf = samples.context().getConf();
        long token = new java.security.SecureRandom().nextLong();
        try (Steering steering = new Steering(conf.getInt(Steering.PORT_KEY, 0), token, s.workers)) {
            shards.count();
            return train(shards, plan, steering, conf.get("spark.driver.host", "localhost"), token);
        } finally {
            shards.unpersist(false);
            Parallel.setThreads(threadsBefore);
        }
    }

    private Result train(JavaRDD<Shard> shards, ShardPlan plan, Steering steering, String driverHost, long token) {
        Builder s = settings;
        TrainingJob job = new TrainingJob(shards, steering, stage -> new TrainingTask(s.modelFactory,
                s.optimizerFactory, s.loss, s.faultInjector, plan, s.threadsPerWorker, s.averageEvery, s.seed, stage,
                driverHost, steering.port(), token));
        Result r;
        try {
            r = runEpochs(job, plan);
        } catch (RuntimeException | Error e) {
            job.cancel(e);
            throw e;
        }
        job.finish();
        return r;
    }

    /** The driver's loop: one order per checkpoint interval, the epoch's statistics, validation and schedule. */
    private Result runEpochs(TrainingJob job, ShardPlan plan) {
        Builder s = settings;
        Module model = s.modelFactory.create();
        Optimizer<?> optimizer = s.optimizerFactory.create(model.parameters());
        LRScheduler scheduler = s.scheduler == null ? null : s.scheduler.create(optimizer);
        Trainer evaluator = Trainer.builder(model, optimizer, s.loss).out(null).build();
        int steps = plan.stepsPerEpoch();
        int interval = s.checkpointEvery == 0 ? steps : Math.min(s.checkpointEvery, steps);
        ClusterCounters counters = new ClusterCounters();
        long wall0 = System.nanoTime(), samplesSeen = 0;
        List<EpochStats> epochs = new ArrayList<>();
        double best = Double.POSITIVE_INFINITY;
        int bestEpoch = 1;
        for (int epoch = 0; epoch < s.epochs; epoch++) {
            long t0 = System.nanoTime();
            double lr = optimizer.paramGroups().get(0).lr();
            EpochTotals totals = new EpochTotals();
            ProgressBar bar = s.out == null ? null
                    : ProgressBar.builder(steps).label("epoch " + (epoch + 1) + "/" + s.epochs).out(s.out).build();
            try {
                for (int from = 0; from < steps; from += interval) {
                    int to = Math.min(steps, from + interval);
                    TrainingState start = TrainingState.capture(model, optimizer);
                    long interval0 = System.nanoTime();
                    // Worker 0 alone gets the checkpoint's values, and passes them on along the ring.
                    List<SegmentResult> results = job.run(new SegmentOrder(epoch, from, to, start),
                            new SegmentOrder(epoch, from, to, start.skeleton()));
                    counters.add(results, System.nanoTime() - interval0);
                    totals.add(results);
                    results.get(0).state().restore(model, optimizer, 0);
                    if (bar != null) {
                        bar.status(EpochStats.running(totals.batches.meanLoss(), totals.batches.accuracy()));
                        bar.advance(to - from, EpochTotals.seenIn(results));
                    }
                }
            } finally {
                if (bar != null) {
                    bar.close();
                }
            }
            totals.checkEveryExampleOnce(plan.size(), epoch);
            samplesSeen += totals.batches.seen();
            Evaluation val = s.validation == null ? null : evaluator.evaluate(s.validation);
            if (scheduler != null) {
                scheduler.step();
            }
            EpochStats e = new EpochStats(epoch + 1, totals.batches.meanLoss(), totals.batches.accuracy(),
                    val == null ? Double.NaN : val.loss(), val == null ? Double.NaN : val.accuracy(), lr,
                    (System.nanoTime() - t0) / 1e9);
            epochs.add(e);
            if (s.out != null) {
                s.out.println(e.summary());
            }
            double monitored = val == null ? e.trainLoss() : val.loss();
            if (monitored < best) {
                best = monitored;
                bestEpoch = epoch + 1;
            }
        }
        ComputeReport report = ComputeReport.builder().samples(samplesSeen).wallNanos(System.nanoTime() - wall0)
                .cpuNanos(counters.cpuNanos).flops(counters.flops).build();
        return new Result(model, new History(List.copyOf(epochs), bestEpoch, false, report),
                counters.timings(job.stagesRun()));
    }

    /** Sums of one epoch over its checkpoint intervals and workers. */
    private static final class EpochTotals {
        final BatchTotals batches = new BatchTotals();
        long indexSum, indexSquareSum;

        void add(List<SegmentResult> results) {
            for (SegmentResult r : results) {
                batches.add(r.totals());
                indexSum += r.indexSum();
                indexSquareSum += r.indexSquareSum();
            }
        }

        static long seenIn(List<SegmentResult> results) {
            long n = 0;
            for (SegmentResult r : results) {
                n += r.totals().seen();
            }
            return n;
        }

        /** The fingerprint of the epoch must be that of 0, 1, ..., n-1, each once (sums taken modulo 2^64). */
        void checkEveryExampleOnce(long n, int epoch) {
            BigInteger big = BigInteger.valueOf(n);
            long sum = big.multiply(big.subtract(BigInteger.ONE)).shiftRight(1).longValue();
            long squares = big.subtract(BigInteger.ONE).multiply(big).multiply(big.shiftLeft(1).subtract(BigInteger.ONE))
                    .divide(BigInteger.valueOf(6)).longValue();
            if (batches.seen() != n || indexSum != sum || indexSquareSum != squares) {
                throw new IllegalStateException("SparkTrainer: epoch " + (epoch + 1) + " trained on " + batches.seen()
                        + " examples of " + n + ", not each exactly once (index sums " + indexSum + "/" + sum
                        + ", squares " + indexSquareSum + "/" + squares + ")");
            }
        }
    }

    /**
     * The cluster's counters: each JVM's CPU time and FLOPs counted once per checkpoint interval, and where the time
     * went.
     */
    private static final class ClusterCounters {
        long cpuNanos, flops, intervals, steps, computeNanos, exchangeNanos, startNanos, overheadNanos;

        void add(List<SegmentResult> results, long intervalWallNanos) {
            Map<String, long[]> perJvm = new HashMap<>();
            long busiest = 0, compute = 0, exchange = 0;
            for (SegmentResult r : results) {
                long[] c = perJvm.computeIfAbsent(r.jvm(), k -> new long[2]);
                c[0] = r.jvmCpuNanos() < 0 || c[0] < 0 ? -1 : Math.max(c[0], r.jvmCpuNanos());
                c[1] = Math.max(c[1], r.jvmFlops());
                busiest = Math.max(busiest, r.computeNanos() + r.exchangeNanos());
                compute = Math.max(compute, r.computeNanos());
                exchange = Math.max(exchange, r.exchangeNanos());
            }
            for (long[] c : perJvm.values()) {
                cpuNanos = cpuNanos < 0 || c[0] < 0 ? -1 : cpuNanos + c[0];
                flops += c[1];
            }
            steps += results.get(0).steps();
            computeNanos += compute;
            exchangeNanos += exchange;
            // The first interval also waits for the stage to be scheduled and its tasks to meet.
            if (intervals++ == 0) {
                startNanos = Math.max(0, intervalWallNanos - busiest);
            } else {
                overheadNanos += Math.max(0, intervalWallNanos - busiest);
            }
        }

        Timings timings(long stages) {
            return new Timings(stages, intervals, steps, computeNanos / 1e6 / Math.max(1, steps),
                    exchangeNanos / 1e6 / Math.max(1, steps), startNanos / 1e6,
                    intervals < 2 ? Double.NaN : overheadNanos / 1e6 / (intervals - 1));
        }
    }
}
