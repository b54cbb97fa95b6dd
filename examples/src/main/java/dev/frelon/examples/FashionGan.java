package dev.frelon.examples;

import dev.frelon.autodiff.Grad;
import dev.frelon.autodiff.Variable;
import dev.frelon.core.Reduction;
import dev.frelon.core.Rng;
import dev.frelon.core.Tensor;
import dev.frelon.nn.BatchNorm2d;
import dev.frelon.nn.Conv2d;
import dev.frelon.nn.ConvTranspose2d;
import dev.frelon.nn.Flatten;
import dev.frelon.nn.LeakyReLU;
import dev.frelon.nn.Linear;
import dev.frelon.nn.Losses;
import dev.frelon.nn.Models;
import dev.frelon.nn.ReLU;
import dev.frelon.nn.Sequential;
import dev.frelon.nn.Tanh;
import dev.frelon.optim.Adam;
import dev.frelon.optim.SGD;
import dev.frelon.train.data.DataLoader;
import dev.frelon.train.data.IdxReader;
import dev.frelon.train.data.TensorDataset;
import dev.frelon.train.plot.ImageGrid;
import dev.frelon.train.plot.LinePlot;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * A generative adversarial network on Fashion-MNIST, DCGAN style: a generator grows 64 numbers of noise into a
 * 28×28 image through transposed convolutions and batch norm; a convolutional discriminator tells real images from
 * generated ones; each trains against the other with the binary cross-entropy (Adam, lr 2·10⁻⁴, β₁ = 0.5). At the
 * equilibrium the generated images are distributed like the real ones, and the discriminator can do no better
 * than a coin.
 *
 * <pre>
 *   bin/frelon run FashionGan [--epochs 2] [--batch 64] [--out runs/gan]
 * </pre>
 *
 * <p>Writes {@code samples-epoch-N.png} (64 samples from the same noise after each epoch) and {@code losses.svg}
 * (both losses over the batches). Then a LeNet classifier (the one {@code bin/frelon train} saves in
 * {@code runs/lenet/lenet.safetensors}, or one trained here for two epochs when that file is absent) labels 1,000
 * samples: the example prints the share of each class and an inception-style score,
 * {@code exp(E_x KL(p(y|x) ‖ p(y)))}: 1 when every sample looks alike and uncertain, 10 at best for ten classes
 * each recognised with certainty.
 */
public final class FashionGan {
    static final int NOISE = 64;

    private FashionGan() {
    }

    /** @return the generator: noise [N, 64, 1, 1] to images [N, 1, 28, 28] in (−1, 1) */
    static Sequential generator(Rng rng) {
        return new Sequential(
                new ConvTranspose2d(NOISE, 128, 7, ConvTranspose2d.Options.DEFAULT.withBias(false), rng),      // 1 → 7
                new BatchNorm2d(128), new ReLU(),
                new ConvTranspose2d(128, 64, 4, ConvTranspose2d.Options.stride(2).withPadding(1).withBias(false), rng), // → 14
                new BatchNorm2d(64), new ReLU(),
                new ConvTranspose2d(64, 1, 4, ConvTranspose2d.Options.stride(2).withPadding(1), rng),           // → 28
                new Tanh());
    }

    /** @return the discriminator: images [N, 1, 28, 28] to one logit each, [N, 1] */
    static Sequential discriminator(Rng rng) {
        return new Sequential(
                new Conv2d(1, 64, 4, Conv2d.Options.stride(2).withPadding(1), rng), new LeakyReLU(0.2f),       // → 14
                new Conv2d(64, 128, 4, Conv2d.Options.stride(2).withPadding(1).withBias(false), rng),          // → 7
                new BatchNorm2d(128), new LeakyReLU(0.2f),
                new Flatten(), new Linear(128 * 7 * 7, 1, true, rng));
    }

    /** What a run produced. */
    record Result(Sequential generator, List<Double> generatorLosses, List<Double> discriminatorLosses) {
    }

    /**
     * Trains the pair.
     *
     * @param images training images [N, 1, 28, 28] in [0, 1]
     * @param epochs passes over the images
     * @param batch images per step
     * @param seed the seed
     * @param out where to write the per-epoch sample grids, or null
     * @return the generator and both losses per batch
     * @throws Exception when a picture cannot be written
     */
    static Result train(Tensor images, int epochs, int batch, long seed, Path out) throws Exception {
        Rng rng = new Rng(seed);
        Sequential g = generator(rng), d = discriminator(rng);
        var betas = Adam.DEFAULTS.withBetas(0.5, 0.999);
        Adam optG = new Adam(g.parameters(), 2e-4, betas), optD = new Adam(d.parameters(), 2e-4, betas);
        Tensor scaled = images.mul(2f).sub(1f);                                  // [0, 1] → [−1, 1], as tanh gives
        DataLoader loader = DataLoader.builder(new TensorDataset(scaled, Tensor.zeros(images.size(0))))
                .batchSize(batch).shuffle(seed).dropLast(true).build();
        Tensor fixedNoise = Tensor.randn(rng, 64, NOISE, 1, 1);
        List<Double> lossG = new ArrayList<>(), lossD = new ArrayList<>();
        Tensor ones = Tensor.ones(batch, 1), zeros = Tensor.zeros(batch, 1);
        for (int epoch = 1; epoch <= epochs; epoch++) {
            long t0 = System.nanoTime();
            for (var b : loader) {
                // The discriminator: real images are 1, generated ones 0 (the generator is not trained here).
                Variable fake = g.forward(Tensor.randn(rng, batch, NOISE, 1, 1));
                Variable dLoss = Losses.bceWithLogits(d.forward(b.x()), ones, 1f, Reduction.MEAN)
                        .add(Losses.bceWithLogits(d.forward(fake.detach()), zeros, 1f, Reduction.MEAN));
                optD.zeroGrad();
                dLoss.backward();
                optD.step();
                // The generator: make the discriminator call its images real.
                Variable gLoss = Losses.bceWithLogits(d.forward(fake), ones, 1f, Reduction.MEAN);
                optG.zeroGrad();
                gLoss.backward();
                optG.step();
                lossD.add((double) dLoss.item());
                lossG.add((double) gLoss.item());
            }
            int n = lossG.size(), last = Math.min(100, n);
            System.out.printf(Locale.ROOT, "epoch %d (%.0f s): discriminator loss %.3f, generator loss %.3f (means of the"
                    + " last %d batches)%n", epoch, (System.nanoTime() - t0) / 1e9, mean(lossD, n - last, n),
                    mean(lossG, n - last, n), last);
            if (out != null) {
                ImageGrid.write(out.resolve("samples-epoch-" + epoch + ".png"), samples(g, fixedNoise), 8, 2, 2);
            }
        }
        return new Result(g, lossG, lossD);
    }

    private static double mean(List<Double> v, int from, int to) {
        double s = 0;
        for (int i = from; i < to; i++) {
            s += v.get(i);
        }
        return s / Math.max(1, to - from);
    }

    /** @return the generator's images for some noise, in eval mode, scaled to [0, 1] */
    static Tensor samples(Sequential g, Tensor noise) {
        g.eval();
        try (var _ = Grad.noGrad()) {
            return g.forward(noise).data().add(1f).mul(0.5f);
        } finally {
            g.train();
        }
    }

    /**
     * The inception-style score of class probabilities: {@code exp(mean_x KL(p(y|x) ‖ p(y)))}.
     *
     * @param probabilities [N, C], rows summing to 1
     * @return the score, from 1 to C
     */
    static double inceptionScore(Tensor probabilities) {
        int n = probabilities.size(0), c = probabilities.size(1);
        float[] p = probabilities.toArray();
        double[] marginal = new double[c];
        for (int i = 0; i < n; i++) {
            for (int k = 0; k < c; k++) {
                marginal[k] += p[i * c + k] / n;
            }
        }
        double kl = 0;
        for (int i = 0; i < n; i++) {
            for (int k = 0; k < c; k++) {
                double q = p[i * c + k];
                kl += q > 0 ? q * Math.log(q / marginal[k]) / n : 0;
            }
        }
        return Math.exp(kl);
    }

    /**
     * @param argv options, see the class comment
     * @throws Exception when the data cannot be read or a file written
     */
    public static void main(String[] argv) throws Exception {
        Args args = new Args(argv);
        int epochs = args.integer("epochs", 2), batch = args.integer("batch", 64);
        Path out = args.outDir("gan");
        IdxReader.Mnist data = FashionData.load(args, true);
        Result r = train(data.trainImages(), epochs, batch, 1, out);
        LinePlot losses = new LinePlot("GAN losses per batch").xLabel("batch").yLabel("binary cross-entropy")
                .add("discriminator", r.discriminatorLosses()).add("generator", r.generatorLosses());
        losses.write(out.resolve("losses.svg"));
        System.out.println("wrote " + out + "/samples-epoch-*.png and losses.svg");

        Sequential lenet = Models.lenet5(new Rng(2));
        Path saved = Args.home().resolve("runs/lenet/lenet.safetensors");
        if (Files.exists(saved)) {
            lenet.load(saved);
            System.out.println("classifier: " + saved);
        } else {
            System.out.println("classifier: no " + saved + " (bin/frelon train makes it); training a LeNet for 2 epochs");
            SGD opt = new SGD(lenet.parameters(), 0.05, SGD.momentum(0.9));
            DataLoader loader = DataLoader.builder(data.train()).batchSize(64).shuffle(3).build();
            for (int e = 0; e < 2; e++) {
                for (var b : loader) {
                    Variable loss = Losses.crossEntropy(lenet.forward(b.x()), b.y());
                    opt.zeroGrad();
                    loss.backward();
                    opt.step();
                }
            }
        }
        Tensor gen = samples(r.generator(), Tensor.randn(new Rng(4), 1000, NOISE, 1, 1));
        lenet.eval();
        Tensor probabilities;
        try (var _ = Grad.noGrad()) {
            probabilities = lenet.forward(gen).data().softmax(1);
        }
        Tensor predicted = probabilities.argmax(1, false);
        StringBuilder shares = new StringBuilder();
        int covered = 0;
        for (int k = 0; k < 10; k++) {
            float share = predicted.eq(k).sum().itemLong() / (float) predicted.numel();
            covered += share > 0 ? 1 : 0;
            shares.append(String.format(Locale.ROOT, "%n  %-12s %5.1f%%", dev.frelon.train.data.FashionMnist.className(k),
                    100 * share));
        }
        System.out.println("what the classifier calls 1,000 generated images:" + shares);
        System.out.printf(Locale.ROOT, "classes covered: %d of 10; inception-style score %.2f (10 at best)%n", covered,
                inceptionScore(probabilities));
    }
}
