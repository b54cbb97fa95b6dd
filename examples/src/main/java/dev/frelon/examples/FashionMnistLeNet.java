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
 * The flagship: a LeNet-5-style CNN trained on Fashion-MNIST with SGD and momentum.
 *
 * <pre>
 *   bin/frelon train [--epochs 15] [--batch 64] [--lr 0.05] [--threads N] [--data DIR] [--out runs/lenet] [--seed 1]
 * </pre>
 * Writes the model ({@code lenet.safetensors}) and its training curves ({@code loss.svg},
 * {@code loss-accuracy.svg}) to the output folder, and prints progress, the test accuracy and the compute
 * report.
 */
public final class FashionMnistLeNet {

    private FashionMnistLeNet() {
    }

    /**
     * @param argv options, see the class comment
     * @throws Exception when the data cannot be read or the outputs written
     */
    public static void main(String[] argv) throws Exception {
        Args args = new Args(argv);
        int epochs = args.integer("epochs", 15), batch = args.integer("batch", 64);
        double lr = args.number("lr", 0.05);
        long seed = args.integer("seed", 1);
        Parallel.setThreads(args.integer("threads", Parallel.threads()));
        Path out = args.outDir("lenet");
        System.out.printf("kernels: %s, %d thread(s)%n", Kernels.description(), Parallel.threads());

        IdxReader.Mnist data = FashionData.load(args, true);
        DataLoader train = DataLoader.builder(data.train()).batchSize(batch).shuffle(seed).build();
        DataLoader test = DataLoader.builder(data.test()).batchSize(1000).noShuffle().build();

        // LeNet-5 with ReLU and max pooling (61,706 parameters):
        //   Conv2d(1, 6, 5, padding 2) ReLU MaxPool2d(2)  Conv2d(6, 16, 5) ReLU MaxPool2d(2)
        //   Flatten Linear(400, 120) ReLU Linear(120, 84) ReLU Linear(84, 10)
        Sequential model = Models.lenet5(new Rng(seed));
        System.out.println(model);
        SGD opt = new SGD(model.parameters(), lr, SGD.momentum(0.9).withWeightDecay(5e-4));
        var schedule = new Schedulers.CosineAnnealingLR(opt, epochs, lr / 50);

        History h = Trainer.builder(model, opt, Losses::crossEntropy).epochs(epochs).scheduler(schedule).build()
                .fit(train, test);

        model.save(out.resolve("lenet.safetensors"));
        h.writeCurves(out.resolve("loss.svg"));
        System.out.printf(Locale.ROOT, "%nfinal test accuracy: %.2f%% (best epoch %d)%n",
                100 * h.last().validationAccuracy(), h.bestEpoch());
        System.out.println(h.report());
        System.out.println("wrote " + out.resolve("lenet.safetensors") + ", " + out.resolve("loss.svg") + ", "
                + out.resolve("loss-accuracy.svg"));
    }
}
