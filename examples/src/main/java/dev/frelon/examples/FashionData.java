package dev.frelon.examples;

import dev.frelon.train.data.FashionMnist;
import dev.frelon.train.data.IdxReader;

import java.io.IOException;
import java.nio.file.Path;

/**
 * Finds Fashion-MNIST for the examples through {@link FashionMnist}: {@code --data DIR}, then Debian's
 * {@code dataset-fashion-mnist}, then the subset bundled in frelon-train. Says which one it used.
 */
final class FashionData {

    private FashionData() {
    }

    static IdxReader.Mnist load(Args args, boolean channelDim) throws IOException {
        String given = args.string("data", null);
        FashionMnist.Loaded loaded = FashionMnist.load(given == null ? null : Path.of(given), channelDim);
        IdxReader.Mnist data = loaded.data();
        System.out.printf("data: %s: %,d training and %,d test images%n", loaded.source(), data.trainImages().size(0),
                data.testImages().size(0));
        return data;
    }
}
