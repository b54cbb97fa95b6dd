package dev.frelon.examples;

import dev.frelon.train.data.IdxReader;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Finds Fashion-MNIST for the examples: {@code --data DIR}, then Debian's {@code dataset-fashion-mnist}
 * under /usr/share/datasets/fashion-mnist, then the 6,000 + 1,000 image subset shipped in
 * examples/data/fashion-mnist-subset. Says which one it used.
 */
final class FashionData {
    static final Path DEBIAN = Path.of("/usr/share/datasets/fashion-mnist");
    static final String[] CLASSES = {"T-shirt/top", "Trouser", "Pullover", "Dress", "Coat", "Sandal", "Shirt",
        "Sneaker", "Bag", "Ankle boot"};

    private FashionData() {
    }

    static IdxReader.Mnist load(Args args, boolean channelDim) throws IOException {
        String given = args.string("data", null);
        Path dir;
        String source;
        if (given != null) {
            dir = Path.of(given);
            source = "--data " + dir;
        } else if (Files.isDirectory(DEBIAN)) {
            dir = DEBIAN;
            source = "Debian's dataset-fashion-mnist (" + DEBIAN + ")";
        } else {
            dir = Args.home().resolve("examples/data/fashion-mnist-subset");
            source = "the bundled subset (" + dir + "; install dataset-fashion-mnist for the full set)";
        }
        IdxReader.Mnist data = IdxReader.loadMnist(dir, channelDim);
        System.out.printf("data: %s: %,d training and %,d test images%n", source, data.trainImages().size(0),
                data.testImages().size(0));
        return data;
    }
}
