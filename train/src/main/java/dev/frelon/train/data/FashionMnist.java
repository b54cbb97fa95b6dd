package dev.frelon.train.data;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Comparator;
import java.util.stream.Stream;

/**
 * Fashion-MNIST (Xiao, Rasul and Vollgraf, 2017; 28×28 grey images of ten kinds of clothing), found where it is
 * rather than downloaded: a directory you name, else Debian's {@code dataset-fashion-mnist} under
 * {@value #DEBIAN_DIR} (60,000 + 10,000 images), else the 6,000 + 1,000 image subset bundled in this jar
 * (MIT licence, Zalando SE; the licence travels beside the files).
 *
 * <pre>{@code
 * FashionMnist.Loaded fashion = FashionMnist.load(true);    // images [N, 1, 28, 28] in [0, 1], labels [N]
 * System.out.println(fashion.source());
 * var train = fashion.data().train();
 * }</pre>
 */
public final class FashionMnist {

    /** Where Debian's {@code dataset-fashion-mnist} package installs the full data set. */
    public static final String DEBIAN_DIR = "/usr/share/datasets/fashion-mnist";

    /** The class names, indexed by label. */
    private static final String[] CLASSES = {"T-shirt/top", "Trouser", "Pullover", "Dress", "Coat", "Sandal",
        "Shirt", "Sneaker", "Bag", "Ankle boot"};

    private static final String BUNDLED = "fashion-mnist-subset/";
    private static final String[] FILES = {"train-images-idx3-ubyte.gz", "train-labels-idx1-ubyte.gz",
        "t10k-images-idx3-ubyte.gz", "t10k-labels-idx1-ubyte.gz"};

    private FashionMnist() {
    }

    /**
     * The data and where they came from.
     *
     * @param data training and test images and labels
     * @param source a sentence naming the directory or the bundled subset, for logs
     */
    public record Loaded(IdxReader.Mnist data, String source) {
    }

    /**
     * The name of a Fashion-MNIST class, as in the data set's documentation: 0 is "T-shirt/top", 1 "Trouser",
     * ... 9 "Ankle boot".
     *
     * @param label a class index in [0, 10)
     * @return its name, e.g. "Ankle boot" for 9
     * @throws IndexOutOfBoundsException for any other label
     */
    public static String className(int label) {
        if (label < 0 || label >= CLASSES.length) {
            throw new IndexOutOfBoundsException("FashionMnist.className: label " + label + " is not in [0, 10)");
        }
        return CLASSES[label];
    }

    /**
     * Loads the full set from Debian's package when it is installed, else the bundled subset.
     *
     * @param channelDim shape images {@code [N, 1, 28, 28]} (for convolutions) rather than {@code [N, 28, 28]}
     * @return the data and their source
     * @throws IOException when a file exists but cannot be read or is malformed
     */
    public static Loaded load(boolean channelDim) throws IOException {
        return load(null, channelDim);
    }

    /**
     * Loads from a directory of IDX files (plain or gzipped, as {@link IdxReader#loadMnist}), or, when
     * {@code dir} is null, as {@link #load(boolean)}.
     *
     * @param dir a directory holding {@code train-images-idx3-ubyte[.gz]} and the three other files, or null
     * @param channelDim shape images {@code [N, 1, 28, 28]} rather than {@code [N, 28, 28]}
     * @return the data and their source
     * @throws IOException when the files are missing, unreadable or malformed
     */
    public static Loaded load(Path dir, boolean channelDim) throws IOException {
        if (dir != null) {
            return new Loaded(IdxReader.loadMnist(dir, channelDim), dir.toString());
        }
        Path debian = Path.of(DEBIAN_DIR);
        if (Files.isDirectory(debian)) {
            return new Loaded(IdxReader.loadMnist(debian, channelDim), "Debian's dataset-fashion-mnist (" + debian + ")");
        }
        return new Loaded(loadBundled(channelDim),
                "the bundled 6,000 + 1,000 image subset (apt-get install dataset-fashion-mnist for the full set)");
    }

    /** Copies the bundled files out of the class path (a jar or a directory) and reads them. */
    static IdxReader.Mnist loadBundled(boolean channelDim) throws IOException {
        Path tmp = Files.createTempDirectory("frelon-fashion-mnist");
        try {
            for (String f : FILES) {
                try (InputStream in = FashionMnist.class.getResourceAsStream(BUNDLED + f)) {
                    if (in == null) {
                        throw new IOException("FashionMnist: the bundled file " + BUNDLED + f + " is missing from the"
                                + " class path (is frelon-train's jar complete?)");
                    }
                    Files.copy(in, tmp.resolve(f), StandardCopyOption.REPLACE_EXISTING);
                }
            }
            return IdxReader.loadMnist(tmp, channelDim);
        } finally {
            deleteTree(tmp);
        }
    }

    private static void deleteTree(Path dir) throws IOException {
        try (Stream<Path> all = Files.walk(dir)) {
            all.sorted(Comparator.reverseOrder()).forEach(p -> {
                try {
                    Files.deleteIfExists(p);
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            });
        }
    }
}
