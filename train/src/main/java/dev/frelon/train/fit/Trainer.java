package dev.frelon.train.fit;

import dev.frelon.autodiff.Grad;
import dev.frelon.autodiff.Variable;
import dev.frelon.core.Tensor;
import dev.frelon.nn.Module;
import dev.frelon.nn.io.Safetensors;
import dev.frelon.optim.LRScheduler;
import dev.frelon.optim.Optimizer;
import dev.frelon.train.data.Batch;
import dev.frelon.train.data.DataLoader;
import dev.frelon.train.report.ComputeMeter;
import dev.frelon.train.report.ProgressBar;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Supplier;

/**
 * Runs the training loop for a model: for each epoch and batch, {@code loss = lossFn(model(x), y);
 * opt.zeroGrad(); loss.backward(); opt.step()}, then an evaluation on validation data, the scheduler's step,
 * early stopping and a checkpoint. Classification accuracy (argmax of the outputs against integer targets)
 * is recorded when outputs are {@code [N, C]} and targets {@code [N]}.
 *
 * <pre>{@code
 * History h = Trainer.builder(model, optimizer, Losses::crossEntropy)
 *         .epochs(15).scheduler(sched).earlyStopping(3).checkpoint(Path.of("ckpt.safetensors"))
 *         .build().fit(trainLoader, testLoader);
 * }</pre>
 */
public final class Trainer {

    /** Computes the loss of a batch from the model's output and the targets. */
    @FunctionalInterface
    public interface LossFn {
        /**
         * Computes the loss of one batch; in training the trainer calls {@code backward()} on the result, so
         * it must be built from {@code output} by differentiable operations.
         *
         * @param output the model's output
         * @param target the batch's targets
         * @return a scalar loss
         */
        Variable loss(Variable output, Tensor target);
    }

    private final Module model;
    private final Optimizer<?> optimizer;
    private final LossFn lossFn;
    private final int epochs;
    private final LRScheduler scheduler;
    private final int patience;
    private final Path checkpoint;
    private final PrintStream out;
    private final Supplier<Variable> penalty;

    private Trainer(Builder b) {
        this.model = b.model;
        this.optimizer = b.optimizer;
        this.lossFn = b.lossFn;
        this.epochs = b.epochs;
        this.scheduler = b.scheduler;
        this.patience = b.patience;
        this.checkpoint = b.checkpoint;
        this.out = b.out;
        this.penalty = b.penalty;
    }

    /**
     * Starts configuring a trainer for a model, its optimizer and a loss, such as {@code Losses::crossEntropy}.
     *
     * @param model the model
     * @param optimizer over the model's parameters
     * @param lossFn the loss
     * @return a builder (10 epochs, no scheduler, no early stopping, no checkpoint, progress on stdout)
     */
    public static Builder builder(Module model, Optimizer<?> optimizer, LossFn lossFn) {
        return new Builder(model, optimizer, lossFn);
    }

    /** Settings of a {@link Trainer}. */
    public static final class Builder {
        private final Module model;
        private final Optimizer<?> optimizer;
        private final LossFn lossFn;
        private int epochs = 10;
        private LRScheduler scheduler;
        private int patience = -1;
        private Path checkpoint;
        private PrintStream out = System.out;
        private Supplier<Variable> penalty;

        private Builder(Module model, Optimizer<?> optimizer, LossFn lossFn) {
            this.model = model;
            this.optimizer = optimizer;
            this.lossFn = lossFn;
        }

        /**
         * Sets the number of epochs to train; with {@link Trainer#resume}, the total including the epochs
         * already done. The default is 10.
         *
         * @param n number of epochs, at least 1
         * @return this
         * @throws IllegalArgumentException when {@code n} is below 1
         */
        public Builder epochs(int n) {
            if (n < 1) {
                throw new IllegalArgumentException("Trainer: epochs must be >= 1, got " + n);
            }
            this.epochs = n;
            return this;
        }

        /**
         * Sets a learning-rate schedule, stepped once at the end of every epoch, after the validation pass
         * (PyTorch's order: optimizer steps first). The learning rate of an epoch is recorded before it runs.
         *
         * @param s stepped once per epoch, or null for none
         * @return this
         */
        public Builder scheduler(LRScheduler s) {
            this.scheduler = s;
            return this;
        }

        /**
         * Stops when the validation loss (training loss without validation) has not improved for
         * {@code patience} epochs.
         *
         * @param patience epochs without improvement tolerated, at least 1
         * @return this
         */
        public Builder earlyStopping(int patience) {
            if (patience < 1) {
                throw new IllegalArgumentException("Trainer: patience must be >= 1, got " + patience);
            }
            this.patience = patience;
            return this;
        }

        /**
         * Sets a checkpoint file, overwritten after every epoch with the model's and the optimizer's state
         * (keys prefixed {@code model.} and {@code optimizer.}) and the epoch number in its metadata;
         * {@link Trainer#resume} reads it back.
         *
         * @param file written atomically after every epoch (model and optimizer state), or null for none
         * @return this
         */
        public Builder checkpoint(Path file) {
            this.checkpoint = file;
            return this;
        }

        /**
         * Sets where the per-epoch progress bar, the epoch summary lines and the early-stopping notice are
         * printed; the default is {@link System#out}.
         *
         * @param stream where progress and epoch lines go (null: silent)
         * @return this
         */
        public Builder out(PrintStream stream) {
            this.out = stream;
            return this;
        }

        /**
         * Adds a regularisation term to every training batch's loss, such as
         * {@code () -> Penalties.l2(model.parameters()).mul(1e-4)} or an elastic net; it is recomputed at each
         * batch from the current parameters. The training loss reported includes it; validation losses do not.
         *
         * @param penalty makes the 0-d penalty, or null for none
         * @return this
         */
        public Builder penalty(Supplier<Variable> penalty) {
            this.penalty = penalty;
            return this;
        }

        /**
         * Creates the trainer with these settings.
         *
         * @return the trainer
         */
        public Trainer build() {
            return new Trainer(this);
        }
    }

    /**
     * Trains for the configured epochs (fewer with early stopping).
     *
     * @param train training batches
     * @param validation validation batches, or null
     * @return the history and compute report
     * @throws IOException when writing a checkpoint fails
     */
    public History fit(DataLoader train, DataLoader validation) throws IOException {
        return fit(train, validation, 0);
    }

    /**
     * Resumes from a checkpoint written by this trainer's settings, then trains the remaining epochs.
     *
     * @param train training batches
     * @param validation validation batches, or null
     * @param file the checkpoint
     * @return the history of the epochs run now
     * @throws IOException when reading the checkpoint or writing a new one fails
     */
    public History resume(DataLoader train, DataLoader validation, Path file) throws IOException {
        Safetensors.Contents c = Safetensors.load(file);
        Map<String, Tensor> modelState = new LinkedHashMap<>(), optState = new LinkedHashMap<>();
        c.tensors().forEach((k, v) -> {
            if (k.startsWith("model.")) {
                modelState.put(k.substring(6), v);
            } else if (k.startsWith("optimizer.")) {
                optState.put(k.substring(10), v);
            }
        });
        model.loadStateDict(modelState, true);
        optimizer.loadStateDict(optState);
        String done = c.metadata().get("epoch");
        if (done == null) {
            throw new IOException(file + ": not a Frelon checkpoint (no 'epoch' in its metadata)");
        }
        int epochsDone = Integer.parseInt(done);
        if (scheduler != null) {
            for (int i = 0; i < epochsDone; i++) {
                scheduler.step();
            }
        }
        return fit(train, validation, epochsDone);
    }

    private History fit(DataLoader train, DataLoader validation, int start) throws IOException {
        List<EpochStats> stats = new ArrayList<>();
        ComputeMeter meter = ComputeMeter.start();
        long samples = 0;
        double best = Double.POSITIVE_INFINITY;
        int bestEpoch = start, sinceBest = 0;
        boolean stopped = false;
        for (int epoch = start + 1; epoch <= epochs; epoch++) {
            long t0 = System.nanoTime();
            double lr = optimizer.paramGroups().get(0).lr();
            model.train();
            BatchTotals totals = new BatchTotals();
            ProgressBar bar = out == null ? null : ProgressBar.builder(train.numBatches())
                    .label("epoch " + epoch + "/" + epochs).out(out).build();
            try (DataLoader.BatchIterator it = train.iterator(epoch - 1)) {
                while (it.hasNext()) {
                    Batch b = it.next();
                    Variable output = model.forward(b.x());
                    Variable loss = lossFn.loss(output, b.y());
                    if (penalty != null) {
                        loss = loss.add(penalty.get());
                    }
                    optimizer.zeroGrad();
                    loss.backward();
                    optimizer.step();
                    totals.add(loss.item(), b.size(), output.data(), b.y());
                    if (bar != null) {
                        bar.status(EpochStats.running(totals.meanLoss(), totals.accuracy()));
                        bar.step(b.size());
                    }
                }
            } finally {
                if (bar != null) {
                    bar.close();
                }
            }
            samples += totals.seen();
            Evaluation val = validation == null ? null : evaluate(validation);
            if (scheduler != null) {
                scheduler.step();
            }
            EpochStats e = new EpochStats(epoch, totals.meanLoss(), totals.accuracy(),
                    val == null ? Double.NaN : val.loss(), val == null ? Double.NaN : val.accuracy(), lr,
                    (System.nanoTime() - t0) / 1e9);
            stats.add(e);
            if (out != null) {
                out.println(e.summary());
            }
            double monitored = val == null ? e.trainLoss() : val.loss();
            if (monitored < best) {
                best = monitored;
                bestEpoch = epoch;
                sinceBest = 0;
            } else {
                sinceBest++;
            }
            if (checkpoint != null) {
                saveCheckpoint(epoch);
            }
            if (patience > 0 && sinceBest >= patience && epoch < epochs) {
                stopped = true;
                if (out != null) {
                    out.printf(Locale.ROOT, "early stopping: no improvement for %d epochs (best epoch %d)%n", patience, bestEpoch);
                }
                break;
            }
        }
        return new History(List.copyOf(stats), bestEpoch, stopped, meter.stop(samples));
    }

    private void saveCheckpoint(int epoch) throws IOException {
        Map<String, Tensor> all = new LinkedHashMap<>();
        model.stateDict().forEach((k, v) -> all.put("model." + k, v));
        optimizer.stateDict().forEach((k, v) -> all.put("optimizer." + k, v));
        Safetensors.save(all, Map.of("epoch", Integer.toString(epoch), "format", "frelon-checkpoint-1"), checkpoint);
    }

    /**
     * Loss and accuracy over a data set, in eval mode and without recording a graph. The model is put back
     * in the mode it was in.
     *
     * @param data the batches
     * @return the evaluation
     */
    public Evaluation evaluate(DataLoader data) {
        boolean wasTraining = model.isTraining();
        model.eval();
        BatchTotals totals = new BatchTotals();
        try (var _ = Grad.noGrad(); DataLoader.BatchIterator it = data.iterator(0)) {
            while (it.hasNext()) {
                Batch b = it.next();
                Variable output = model.forward(b.x());
                totals.add(lossFn.loss(output, b.y()).item(), b.size(), output.data(), b.y());
            }
        } finally {
            model.train(wasTraining);
        }
        return new Evaluation(totals.meanLoss(), totals.accuracy(), totals.seen());
    }
}
