package dev.frelon.examples;

import dev.frelon.autodiff.Grad;
import dev.frelon.core.Rng;
import dev.frelon.core.Tensor;
import dev.frelon.core.kernel.Parallel;
import dev.frelon.nn.Linear;
import dev.frelon.nn.Losses;
import dev.frelon.nn.ReLU;
import dev.frelon.nn.Sequential;
import dev.frelon.nn.Sigmoid;
import dev.frelon.optim.Adam;
import dev.frelon.optim.Schedulers;
import dev.frelon.train.data.DataLoader;
import dev.frelon.train.data.IdxReader;
import dev.frelon.train.data.TensorDataset;
import dev.frelon.train.fit.Evaluation;
import dev.frelon.train.fit.History;
import dev.frelon.train.fit.Trainer;
import dev.frelon.train.plot.ImageGrid;

import java.nio.file.Path;
import java.util.Locale;

/**
 * An autoencoder that compresses Fashion-MNIST images of 784 pixels into a latent code of 32 numbers and
 * back: encoder 784 → 128 → 32 (ReLU), decoder 32 → 128 → 784 with a sigmoid so the output pixels are in
 * [0, 1]. It is trained, without labels, to reproduce its input (mean squared error per pixel).
 *
 * <pre>
 *   bin/frelon run Autoencoder [--epochs 15] [--batch 128] [--lr 0.002] [--latent 32] [--threads N] [--data DIR] [--seed 1] [--out runs/autoencoder]
 * </pre>
 *
 * <p>The data are found as in the LeNet example. Trained with Adam and a cosine schedule; about a minute on
 * two cores with the full data set. Prints the per-pixel reconstruction MSE on the test images, beside two
 * baselines (reconstructing every image as the mean training image, and as all black), and writes
 * {@code reconstructions.png} (rows of 8 test images, each row of originals above their reconstructions)
 * and the loss curve {@code loss.svg}.
 */
public final class Autoencoder {

    private Autoencoder() {
    }

    /** The autoencoder: 784 → 128 → latent → 128 → 784. */
    static Sequential autoencoder(int latent, Rng rng) {
        return new Sequential(
                new Linear(784, 128, true, rng), new ReLU(),
                new Linear(128, latent, true, rng), new ReLU(),
                new Linear(latent, 128, true, rng), new ReLU(),
                new Linear(128, 784, true, rng), new Sigmoid());
    }

    /**
     * @param argv options, see the class comment
     * @throws Exception when the data cannot be read or the outputs written
     */
    public static void main(String[] argv) throws Exception {
        Args args = new Args(argv);
        int epochs = args.integer("epochs", 15), batch = args.integer("batch", 128);
        int latent = args.integer("latent", 32);
        double lr = args.number("lr", 0.002);
        long seed = args.integer("seed", 1);
        Parallel.setThreads(args.integer("threads", Parallel.threads()));
        Path out = args.outDir("autoencoder");

        IdxReader.Mnist data = FashionData.load(args, false);
        int nTrain = data.trainImages().size(0), nTest = data.testImages().size(0);
        Tensor trainX = data.trainImages().reshape(nTrain, 784), testX = data.testImages().reshape(nTest, 784);
        // Input and target are the same images.
        DataLoader train = DataLoader.builder(new TensorDataset(trainX, trainX)).batchSize(batch).shuffle(seed).build();
        DataLoader test = DataLoader.builder(new TensorDataset(testX, testX)).batchSize(1000).noShuffle().build();

        Sequential model = autoencoder(latent, new Rng(seed));
        System.out.println(model);
        System.out.printf(Locale.ROOT, "each image: 784 pixels -> %d numbers (%.1fx smaller)%n", latent, 784.0 / latent);
        Adam opt = new Adam(model.parameters(), lr);
        var schedule = new Schedulers.CosineAnnealingLR(opt, epochs, lr / 20);
        Trainer trainer = Trainer.builder(model, opt, Losses::mse).epochs(epochs).scheduler(schedule).build();
        History h = trainer.fit(train, test);
        Evaluation ev = trainer.evaluate(test);

        Tensor mean = trainX.mean(0);
        double meanBaseline = testX.sub(mean).square().mean().item();
        double blackBaseline = testX.square().mean().item();
        System.out.printf(Locale.ROOT, "%ntest reconstruction MSE per pixel: %.5f (RMS error %.3f on the 0..1 scale)%n",
                ev.loss(), Math.sqrt(ev.loss()));
        System.out.printf(Locale.ROOT, "  baselines: the mean training image %.5f, an all-black image %.5f%n",
                meanBaseline, blackBaseline);
        System.out.println(h.report());

        int show = 16;
        Tensor originals = testX.narrow(0, 0, show).contiguous();
        Tensor recon;
        model.eval();
        try (var _ = Grad.noGrad()) {
            recon = model.forward(originals).data();
        }
        ImageGrid.writeComparison(out.resolve("reconstructions.png"), originals.reshape(show, 28, 28),
                recon.reshape(show, 28, 28), 8, 3);
        h.writeCurves(out.resolve("loss.svg"));
        System.out.println("wrote " + out.resolve("reconstructions.png") + ", " + out.resolve("loss.svg"));
    }
}
