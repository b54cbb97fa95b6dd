package dev.frelon.examples;

import dev.frelon.core.Rng;
import dev.frelon.core.kernel.Kernels;
import dev.frelon.core.kernel.Parallel;
import dev.frelon.nn.Losses;
import dev.frelon.nn.Models;
import dev.frelon.nn.Sequential;
import dev.frelon.optim.SGD;
import dev.frelon.optim.Schedulers;
import dev.frelon.train.data.DataLoader;
import dev.frelon.train.data.IdxReader;
import dev.frelon.train.fit.History;
import dev.frelon.train.fit.Trainer;

import java.nio.file.Path;
import java.util.Locale;

/**
 * A multilayer perceptron 784-256-128-10 (ReLU) on Fashion-MNIST, trained with SGD and momentum: the fully
 * connected counterpart of the LeNet-5 example ({@link FashionMnistLeNet}). Each 28×28 image is flattened
 * into 784 inputs, so the network knows nothing of which pixels are neighbours; it still reaches about 89%
 * test accuracy on the full data set in 10 epochs (LeNet-5 gets past 90%).
 *
 * <pre>
 *   bin/frelon run FashionMnistMlp [--epochs 10] [--batch 64] [--lr 0.05] [--momentum 0.9] [--threads N] [--data DIR] [--seed 1] [--out runs/mlp]
 * </pre>
 *
 * <p>The data are found as in the LeNet example ({@code --data DIR}, Debian's dataset-fashion-mnist, or the
 * bundled 6,000-image subset). The learning rate follows a cosine schedule down to lr/50. Prints progress,
 * each epoch's training and test loss and accuracy, the final test accuracy and the compute report; writes
 * the model ({@code mlp.safetensors}) and its training curves ({@code loss.svg}, {@code loss-accuracy.svg}).
 */
public final class FashionMnistMlp {

    private FashionMnistMlp() {
    }

    /**
     * @param argv options, see the class comment
     * @throws Exception when the data cannot be read or the outputs written
     */
    public static void main(String[] argv) throws Exception {
        Args args = new Args(argv);
        int epochs = args.integer("epochs", 10), batch = args.integer("batch", 64);
        double lr = args.number("lr", 0.05), momentum = args.number("momentum", 0.9);
        long seed = args.integer("seed", 1);
        Parallel.setThreads(args.integer("threads", Parallel.threads()));
        Path out = args.outDir("mlp");
        System.out.printf("kernels: %s, %d thread(s)%n", Kernels.description(), Parallel.threads());

        IdxReader.Mnist data = FashionData.load(args, false);
        DataLoader train = DataLoader.builder(data.train()).batchSize(batch).shuffle(seed).build();
        DataLoader test = DataLoader.builder(data.test()).batchSize(1000).noShuffle().build();

        // Flatten Linear(784, 256) ReLU Linear(256, 128) ReLU Linear(128, 10): 235,146 parameters
        Sequential model = Models.mlp(new Rng(seed), 784, 256, 128, 10);
        System.out.println(model);
        SGD opt = new SGD(model.parameters(), lr, SGD.momentum(momentum));
        var schedule = new Schedulers.CosineAnnealingLR(opt, epochs, lr / 50);

        History h = Trainer.builder(model, opt, Losses::crossEntropy).epochs(epochs).scheduler(schedule).build()
                .fit(train, test);

        model.save(out.resolve("mlp.safetensors"));
        h.writeCurves(out.resolve("loss.svg"));
        System.out.printf(Locale.ROOT, "%nfinal test accuracy: %.2f%% (best epoch %d)%n",
                100 * h.last().validationAccuracy(), h.bestEpoch());
        System.out.println(h.report());
        System.out.println("wrote " + out.resolve("mlp.safetensors") + ", " + out.resolve("loss.svg") + ", "
                + out.resolve("loss-accuracy.svg"));
    }
}
