package dev.frelon.train.fit;

import dev.frelon.core.Rng;
import dev.frelon.core.Tensor;
import dev.frelon.nn.Linear;
import dev.frelon.nn.Losses;
import dev.frelon.nn.ReLU;
import dev.frelon.nn.Sequential;
import dev.frelon.optim.SGD;
import dev.frelon.optim.Schedulers;
import dev.frelon.train.data.DataLoader;
import dev.frelon.train.data.TensorDataset;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class TrainerTest {

    /** Two Gaussian blobs, labels 0 and 1, linearly separable. */
    private static TensorDataset blobs(long seed, int n) {
        Rng rng = new Rng(seed);
        float[] x = new float[n * 2], y = new float[n];
        for (int i = 0; i < n; i++) {
            int c = i % 2;
            y[i] = c;
            x[2 * i] = (float) (rng.nextGaussian() * 0.5 + (c == 0 ? -2 : 2));
            x[2 * i + 1] = (float) (rng.nextGaussian() * 0.5 + (c == 0 ? 1 : -1));
        }
        return new TensorDataset(Tensor.of(x, n, 2), Tensor.of(y, n));
    }

    private static Sequential model(long seed) {
        Rng rng = new Rng(seed);
        return new Sequential(new Linear(2, 8, true, rng), new ReLU(), new Linear(8, 2, true, rng));
    }

    private static DataLoader loader(TensorDataset d, boolean shuffle) {
        var b = DataLoader.builder(d).batchSize(16);
        return (shuffle ? b.shuffle(3) : b.noShuffle()).build();
    }

    @Test
    void theProgressLinesShowTheRunningLossAndAccuracy() throws Exception {
        Sequential m = model(4);
        var bytes = new java.io.ByteArrayOutputStream();
        History h = Trainer.builder(m, new SGD(m.parameters(), 0.1), Losses::crossEntropy).epochs(2)
                .out(new java.io.PrintStream(bytes, true, java.nio.charset.StandardCharsets.UTF_8)).build()
                .fit(loader(blobs(7, 160), true), null);
        List<String> progress = bytes.toString(java.nio.charset.StandardCharsets.UTF_8).lines()
                .filter(l -> l.startsWith("epoch 1/2: 10/10")).toList();
        assertEquals(1, progress.size(), bytes.toString());
        // The last progress line of an epoch shows that epoch's mean loss, as the epoch summary does.
        String expected = String.format(java.util.Locale.ROOT, "loss %.4f", h.epochs().get(0).trainLoss());
        assertTrue(progress.get(0).contains(expected), progress.get(0) + " should contain " + expected);
        assertTrue(progress.get(0).matches(".*acc \\d+\\.\\d%.*"), progress.get(0));
        assertEquals("loss 0.5000  acc 75.0%", EpochStats.running(0.5, 0.75));
        assertEquals("loss 1.2346", EpochStats.running(1.23456, Double.NaN));
    }

    @Test
    void aPenaltyIsAddedToEveryBatchLoss() throws Exception {
        Sequential plain = model(9), penalised = model(9);
        var data = blobs(3, 96);
        History h0 = Trainer.builder(plain, new SGD(plain.parameters(), 0.05), Losses::crossEntropy).epochs(3).out(null)
                .build().fit(loader(data, true), null);
        History h1 = Trainer.builder(penalised, new SGD(penalised.parameters(), 0.05), Losses::crossEntropy).epochs(3)
                .out(null).penalty(() -> dev.frelon.nn.Penalties.l2(penalised.parameters()).mul(0.5f)).build()
                .fit(loader(data, true), null);
        double n0 = dev.frelon.nn.Penalties.l2(plain.parameters()).item();
        double n1 = dev.frelon.nn.Penalties.l2(penalised.parameters()).item();
        assertTrue(n1 < 0.5 * n0, "the L2 penalty shrinks the weights: " + n1 + " vs " + n0);
        // The reported training loss includes the penalty, which alone is at least 0.5·‖w‖² at the epoch's end.
        assertTrue(h1.last().trainLoss() > h0.last().trainLoss(), h1.last().trainLoss() + " vs " + h0.last().trainLoss());
    }

    @Test
    void fitLearnsAndRecordsHistory() throws Exception {
        Sequential m = model(1);
        SGD opt = new SGD(m.parameters(), 0.1, SGD.momentum(0.9));
        History h = Trainer.builder(m, opt, Losses::crossEntropy).epochs(5).out(null).build()
                .fit(loader(blobs(1, 200), true), loader(blobs(2, 100), false));
        assertEquals(5, h.epochs().size());
        assertTrue(h.last().validationAccuracy() > 0.97, "accuracy " + h.last().validationAccuracy());
        assertTrue(h.last().trainLoss() < h.epochs().get(0).trainLoss());
        assertEquals(1000, h.report().samples());
        assertTrue(h.report().flops() > 0, "the GEMM kernels counted their work");
        assertFalse(h.stoppedEarly());
    }

    @Test
    void evaluationCountsCorrectPredictions() {
        Tensor out = Tensor.of(new float[] {0.1f, 0.9f, 0.8f, 0.2f, 0.3f, 0.7f}, 3, 2);
        assertEquals(2, Accuracy.countCorrect(out, Tensor.of(new float[] {1, 0, 0})));
        assertEquals(-1, Accuracy.countCorrect(out, Tensor.zeros(3, 2)), "not a classification target");
    }

    @Test
    void earlyStoppingStopsWhenValidationStallsAndSchedulerSteps() throws Exception {
        Sequential m = model(1);
        SGD opt = new SGD(m.parameters(), 0.0);       // lr 0: the loss never improves after epoch 1
        var sched = new Schedulers.StepLR(opt, 1, 0.5);
        History h = Trainer.builder(m, opt, Losses::crossEntropy).epochs(20).earlyStopping(2).scheduler(sched)
                .out(null).build().fit(loader(blobs(1, 64), true), loader(blobs(2, 32), false));
        assertTrue(h.stoppedEarly());
        assertEquals(3, h.epochs().size(), "epoch 1 is best, epochs 2 and 3 do not improve");
        assertEquals(1, h.bestEpoch());
        assertEquals(3, sched.epoch());
    }

    @Test
    void checkpointResumeGivesTheSameWeightsAsAnUninterruptedRun(@TempDir Path dir) throws Exception {
        TensorDataset train = blobs(5, 96);
        Sequential full = model(7);
        SGD fullOpt = new SGD(full.parameters(), 0.05, SGD.momentum(0.9));
        Trainer.builder(full, fullOpt, Losses::crossEntropy).epochs(4).out(null).build().fit(loader(train, true), null);

        Path ckpt = dir.resolve("ckpt.safetensors");
        Sequential first = model(7);
        SGD firstOpt = new SGD(first.parameters(), 0.05, SGD.momentum(0.9));
        Trainer.builder(first, firstOpt, Losses::crossEntropy).epochs(2).checkpoint(ckpt).out(null).build()
                .fit(loader(train, true), null);
        assertTrue(Files.exists(ckpt));

        Sequential resumed = model(99);
        SGD resumedOpt = new SGD(resumed.parameters(), 0.05, SGD.momentum(0.9));
        History h = Trainer.builder(resumed, resumedOpt, Losses::crossEntropy).epochs(4).out(null).build()
                .resume(loader(train, true), null, ckpt);
        assertEquals(2, h.epochs().size());
        assertEquals(3, h.epochs().get(0).epoch());
        for (var e : full.stateDict().entrySet()) {
            assertArrayEquals(e.getValue().toArray(), resumed.stateDict().get(e.getKey()).toArray(), 0f, e.getKey());
        }
    }

    @Test
    void curvesAreWritten(@TempDir Path dir) throws Exception {
        Sequential m = model(1);
        History h = Trainer.builder(m, new SGD(m.parameters(), 0.1), Losses::crossEntropy).epochs(2).out(null).build()
                .fit(loader(blobs(1, 32), true), loader(blobs(2, 32), false));
        h.writeCurves(dir.resolve("loss.svg"));
        String loss = Files.readString(dir.resolve("loss.svg"));
        assertTrue(loss.startsWith("<?xml") || loss.startsWith("<svg"), loss.substring(0, 40));
        assertTrue(loss.contains("validation"));
        assertTrue(Files.exists(dir.resolve("loss-accuracy.svg")));
    }
}
