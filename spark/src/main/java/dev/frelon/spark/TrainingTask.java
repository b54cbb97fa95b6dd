package dev.frelon.spark;

import dev.frelon.core.kernel.FlopCounter;
import dev.frelon.core.kernel.Parallel;
import dev.frelon.nn.Init;
import dev.frelon.nn.Module;
import dev.frelon.optim.Optimizer;
import dev.frelon.train.report.ComputeMeter;
import org.apache.spark.BarrierTaskContext;
import scala.runtime.AbstractFunction1;

import java.io.IOException;
import java.io.Serializable;
import java.io.UncheckedIOException;
import java.lang.management.ManagementFactory;
import java.util.Collections;

/**
 * One barrier task of the training stage: a worker. It registers with the driver's {@link Steering}, opens the ring
 * to the other workers, then runs every checkpoint interval the driver orders, each from the driver's checkpoint
 * (which worker 0 receives from the driver and passes on along the ring), and sends back its result, until the
 * driver says the training is over. A named class rather than a lambda, so
 * that what it ships to the workers is plain to see: the factories, the plan and the driver's address, but no
 * model state, which comes with each order.
 */
final class TrainingTask
        extends AbstractFunction1<scala.collection.Iterator<Shard>, scala.collection.Iterator<SegmentResult>>
        implements Serializable {

    private static final long serialVersionUID = 1L;

    private final SparkTrainer.ModelFactory modelFactory;
    private final SparkTrainer.OptimizerFactory optimizerFactory;
    private final SparkTrainer.Loss loss;
    private final SparkTrainer.FaultInjector faults;
    private final ShardPlan plan;
    private final int threads, averageEvery, stage;
    private final long seed, token;
    private final String driverHost;
    private final int driverPort;

    /**
     * @param threads the threads each worker's kernels use
     * @param averageEvery 0 for synchronous training, else the averaging period
     * @param seed the run's seed, from which each interval's default generator is drawn
     * @param stage the driver's number for this stage (a new one when Spark gave up on the last)
     * @param driverHost where the driver's {@link Steering} listens
     * @param driverPort its port
     * @param token the run's secret
     */
    TrainingTask(SparkTrainer.ModelFactory modelFactory, SparkTrainer.OptimizerFactory optimizerFactory,
                 SparkTrainer.Loss loss, SparkTrainer.FaultInjector faults, ShardPlan plan, int threads,
                 int averageEvery, long seed, int stage, String driverHost, int driverPort, long token) {
        this.modelFactory = modelFactory;
        this.optimizerFactory = optimizerFactory;
        this.loss = loss;
        this.faults = faults;
        this.plan = plan;
        this.threads = threads;
        this.averageEvery = averageEvery;
        this.seed = seed;
        this.stage = stage;
        this.driverHost = driverHost;
        this.driverPort = driverPort;
        this.token = token;
    }

    @Override
    public scala.collection.Iterator<SegmentResult> apply(scala.collection.Iterator<Shard> partition) {
        BarrierTaskContext context = BarrierTaskContext.get();
        Shard shard = partition.next();
        Parallel.setThreads(threads);
        int attempt = context.stageAttemptNumber(), worker = shard.worker(), workers = plan.workers();
        Runnable killCheck = context::killTaskIfInterrupted;
        try (DriverLink driver = DriverLink.connect(driverHost, driverPort, token, stage, attempt, worker, workers,
                killCheck)) {
            Ring ring = workers == 1 ? registerAlone(driver, worker)
                    : SocketRing.open(context, workers, token, stage, driver::register);
            try {
                AllReduce exchange = ring == null ? AllReduce.alone() : ring.allReduce(worker, workers);
                for (SegmentOrder order = driver.nextOrder(); order != null; order = driver.nextOrder()) {
                    TrainingState start = ring == null ? order.start() : fromWorker0(order.start(), ring, worker);
                    driver.report(run(order, start, shard, exchange, attempt));
                }
            } catch (RuntimeException | Error e) {
                if (ring != null) {
                    ring.abort(e);
                }
                throw e;
            }
            if (ring != null) {
                ring.close();
            }
        }
        // What the stage returns does not matter: the results went to the driver as they came.
        return scala.jdk.javaapi.CollectionConverters.asScala(Collections.<SegmentResult>emptyIterator());
    }

    /**
     * The interval's checkpoint on every worker: worker 0 has it from the driver, and the others receive its values
     * along the ring, so that the driver's link carries one copy, not one per worker.
     */
    private TrainingState fromWorker0(TrainingState received, Ring ring, int worker) {
        if (worker == 0) {
            RingBroadcast.fromWorker0(ring, 0, plan.workers(), received.values());
            return received;
        }
        float[] values = new float[received.size()];
        RingBroadcast.fromWorker0(ring, worker, plan.workers(), values);
        return received.withValues(values);
    }

    /** A single worker registers too, for its orders, and has no ring. */
    private static Ring registerAlone(DriverLink driver, int worker) {
        try {
            driver.register("-");
            return null;
        } catch (IOException e) {
            throw new UncheckedIOException("SparkTrainer: worker " + worker + " could not register with the driver: "
                    + e, e);
        }
    }

    /**
     * Runs one interval on a replica built from the order's checkpoint. The replica is built anew for every
     * interval, after the thread's default generator is reset from the interval and the worker, so that an
     * interval gives the same bits whether it follows another on this task or starts a retried stage (Dropout
     * layers draw their generator from the default one when they are built).
     */
    private SegmentResult run(SegmentOrder order, TrainingState start, Shard shard, AllReduce exchange, int attempt) {
        long cpu0 = ComputeMeter.processCpuNanos(), flops0 = FlopCounter.total();
        int worker = shard.worker();
        Init.seed(ShardPlan.mix(ShardPlan.mix(seed, order.epoch(), order.from()), 0, worker));
        Module model = modelFactory.create();
        Optimizer<?> optimizer = optimizerFactory.create(model.parameters());
        start.restore(model, optimizer, worker);
        SegmentResult r = new ReplicaTrainer(worker, model, optimizer, loss, shard, plan, exchange, averageEvery)
                .run(order.epoch(), order.from(), order.to(), (e, step) -> faults.beforeStep(worker, attempt, e, step));
        long cpu1 = ComputeMeter.processCpuNanos();
        return r.withJvm(jvmName(), cpu0 < 0 || cpu1 < 0 ? -1 : cpu1 - cpu0, FlopCounter.total() - flops0);
    }

    private static String jvmName() {
        var rt = ManagementFactory.getRuntimeMXBean();
        return rt.getName() + "/" + rt.getStartTime();
    }
}
