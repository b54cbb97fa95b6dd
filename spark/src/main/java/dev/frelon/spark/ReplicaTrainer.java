package dev.frelon.spark;

import dev.frelon.autodiff.Grad;
import dev.frelon.autodiff.Variable;
import dev.frelon.core.Tensor;
import dev.frelon.core.TensorStorage;
import dev.frelon.nn.Module;
import dev.frelon.optim.Optimizer;
import dev.frelon.train.data.Batch;
import dev.frelon.train.fit.BatchTotals;
import dev.frelon.train.fit.Trainer;

import java.util.ArrayList;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Set;

/**
 * One worker's share of a checkpoint interval: its model replica trains on its shard for a range of steps, exchanging with the
 * other workers through an {@link AllReduce}. It knows nothing of Spark, so the same code runs in a barrier task
 * and in a test's threads.
 *
 * <p>Synchronous mode, each step: the worker's loss (a mean over its c examples) is scaled by c / C, C being the
 * step's global batch, so its gradient is the worker's share of the global mean's; the all-reduce sums the shares
 * (in an order fixed by the number of workers) and every replica applies the same optimizer update to the same
 * parameters. Beside each parameter's gradient travels a 1 when this worker's loss reached it: a parameter that no
 * worker's loss reached keeps no gradient, so the optimizer leaves it alone (no weight decay, no momentum), as
 * single-machine training does. Parameters that do not require gradients are not exchanged.
 *
 * <p>Averaging mode: each worker steps on its own batch's mean loss, and every {@code averageEvery} steps (and at
 * the end of the interval) the parameters and buffers are replaced by their mean over the workers.
 */
final class ReplicaTrainer {

    /** Called before every step; the fault injection of {@link SparkTrainer.Builder#faultInjector}. */
    interface StepHook {
        void beforeStep(int epoch, int step);
    }

    private final int worker;
    private final Module model;
    private final Optimizer<?> optimizer;
    private final Trainer.LossFn loss;
    private final Shard shard;
    private final ShardPlan plan;
    private final AllReduce exchange;
    private final int averageEvery;
    private final List<Variable> params;
    private final List<Variable> trainable;

    /**
     * The exchanged vector of a synchronous step: one piece per trainable parameter, its gradient's own array where
     * backward left one, then the presence flags. The exchange sums the gradients where they lie: copying them into
     * one vector and the sum back out took a tenth of an MLP's step on two workers.
     */
    private final SplitVector grads;
    /**
     * The presence flags: 1 where this worker's loss reached the parameter, else 0; after the sum, the number of
     * workers whose loss did.
     */
    private final float[] present;
    /** The arrays offered so far this step, to catch two gradients that share one (see {@link #offerGrads}). */
    private final Set<float[]> offered = Collections.newSetFromMap(new IdentityHashMap<>());

    private final BatchTotals totals = new BatchTotals();
    private long indexSum, indexSquareSum, computeNanos, exchangeNanos;

    /**
     * @param averageEvery 0 for synchronous gradient all-reduce, else the averaging period in steps
     */
    ReplicaTrainer(int worker, Module model, Optimizer<?> optimizer, Trainer.LossFn loss, Shard shard, ShardPlan plan,
                   AllReduce exchange, int averageEvery) {
        this.worker = worker;
        this.model = model;
        this.optimizer = optimizer;
        this.loss = loss;
        this.shard = shard;
        this.plan = plan;
        this.exchange = exchange;
        this.averageEvery = averageEvery;
        this.params = model.parameters();
        this.trainable = params.stream().filter(Variable::requiresGrad).toList();
        int[] lengths = new int[trainable.size() + 1];
        for (int i = 0; i < trainable.size(); i++) {
            lengths[i] = trainable.get(i).data().numel();
        }
        lengths[trainable.size()] = trainable.size();
        this.grads = new SplitVector(lengths);
        this.present = grads.piece(trainable.size());
    }

    /** Runs steps {@code [from, to)} of an epoch and reports; worker 0's report carries the replicas' state. */
    SegmentResult run(int epoch, int from, int to, StepHook hook) {
        model.train();
        int[] order = plan.order(epoch, worker);
        for (int step = from; step < to; step++) {
            hook.beforeStep(epoch, step);
            int[] positions = plan.batchPositions(order, step);
            if (averageEvery == 0) {
                synchronousStep(positions, plan.globalCount(step));
            } else {
                localStep(positions);
                if ((step + 1) % averageEvery == 0 || step == to - 1) {
                    average();
                }
            }
        }
        return new SegmentResult(worker, totals, indexSum, indexSquareSum,
                to - from, computeNanos, exchangeNanos, "", -1, 0,
                worker == 0 ? TrainingState.capture(model, optimizer) : null);
    }

    private void synchronousStep(int[] positions, int globalCount) {
        long t0 = System.nanoTime();
        optimizer.zeroGrad();
        if (positions.length > 0) {
            Variable batchLoss = forward(positions);
            batchLoss.mul((double) positions.length / globalCount).backward();
        }
        offerGrads();
        long t1 = System.nanoTime();
        exchange.sumInPlace(grads);
        long t2 = System.nanoTime();
        takeSums();
        optimizer.step();
        computeNanos += (t1 - t0) + (System.nanoTime() - t2);
        exchangeNanos += t2 - t1;
    }

    private void localStep(int[] positions) {
        if (positions.length == 0) {
            return;
        }
        long t0 = System.nanoTime();
        optimizer.zeroGrad();
        forward(positions).backward();
        optimizer.step();
        computeNanos += System.nanoTime() - t0;
    }

    /** The batch's mean loss, with the statistics and the fingerprint of the examples it used. */
    private Variable forward(int[] positions) {
        Batch b = shard.batch(positions);
        Variable output = model.forward(b.x());
        Variable batchLoss = loss.loss(output, b.y());
        totals.add(batchLoss.item(), positions.length, output.data(), b.y());
        for (int p : positions) {
            long i = shard.index(p);
            indexSum += i;
            indexSquareSum += i * i;
        }
        return batchLoss;
    }

    /**
     * Makes each trainable parameter's gradient its piece of {@link #grads}, and sets the presence flags. The sum is
     * written into the gradient's array, so it must be the parameter's alone and dense: the gradient backward leaves
     * is (the engine's copy, or a rule's new tensor that only the parameter holds); a missing one becomes zeros; a
     * view, were a rule to leave one, a copy; and so does an array that a rule gave two parameters (as a tensor and
     * a reshaped view of it), which the sum would otherwise add twice.
     */
    private void offerGrads() {
        offered.clear();
        for (int i = 0; i < trainable.size(); i++) {
            Variable p = trainable.get(i);
            Tensor g = p.grad();
            present[i] = g == null ? 0 : 1;
            if (g == null) {
                g = Tensor.zeros(p.data().shape());
                p.setGrad(g);
            } else if (!g.isContiguous() || TensorStorage.offset(g) != 0
                    || TensorStorage.array(g).length != g.numel() || offered.contains(TensorStorage.array(g))) {
                g = Tensor.wrap(g.toArray(), g.shape());
                p.setGrad(g);
            }
            offered.add(TensorStorage.array(g));
            grads.set(i, TensorStorage.array(g));
        }
    }

    /**
     * After the sum: a parameter that no worker's loss reached keeps no gradient (so the optimizer leaves it alone);
     * the others' gradients, which the sum was written into, are marked as written.
     */
    private void takeSums() {
        for (int i = 0; i < trainable.size(); i++) {
            Variable p = trainable.get(i);
            if (present[i] == 0) {
                p.setGrad(null);
            } else {
                TensorStorage.markWritten(p.grad());
            }
        }
    }

    /**
     * Replaces every parameter and floating buffer by its mean over the workers. Integer buffers (BatchNorm's batch
     * counter) are counts, not estimates: each worker keeps its own, and the interval ends with worker 0's, as the
     * synchronous mode does.
     */
    private void average() {
        List<Tensor> all = new ArrayList<>();
        for (Variable p : params) {
            all.add(p.data());
        }
        for (Tensor b : model.namedBuffers().values()) {
            if (b.dtype().isFloatingPoint()) {
                all.add(b);
            }
        }
        int total = 0;
        for (Tensor t : all) {
            total += t.numel();
        }
        float[] sum = new float[total];
        int at = 0;
        for (Tensor t : all) {
            System.arraycopy(t.toArray(), 0, sum, at, t.numel());
            at += t.numel();
        }
        long t1 = System.nanoTime();
        exchange.sumInPlace(sum);
        exchangeNanos += System.nanoTime() - t1;
        float workers = plan.workers();
        at = 0;
        try (var _ = Grad.noGrad()) {
            for (Tensor t : all) {
                float[] mean = new float[t.numel()];
                for (int i = 0; i < mean.length; i++) {
                    mean[i] = sum[at + i] / workers;
                }
                t.copyFrom(Tensor.wrap(mean, t.shape()));
                at += t.numel();
            }
        }
    }
}
