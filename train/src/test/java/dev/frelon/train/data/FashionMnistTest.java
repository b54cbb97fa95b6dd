package dev.frelon.train.data;

import dev.frelon.core.Tensor;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class FashionMnistTest {

    @Test
    void theBundledSubsetLoadsFromTheClassPath() throws Exception {
        IdxReader.Mnist m = FashionMnist.loadBundled(true);
        assertArrayEquals(new int[] {6000, 1, 28, 28}, m.trainImages().shape());
        assertArrayEquals(new int[] {6000}, m.trainLabels().shape());
        assertArrayEquals(new int[] {1000, 1, 28, 28}, m.testImages().shape());
        // Fashion-MNIST's first training and first test image are both ankle boots (label 9).
        assertEquals(9f, m.trainLabels().get(0));
        assertEquals(9f, m.testLabels().get(0));
        assertEquals("Ankle boot", FashionMnist.className(9));
        assertEquals(0f, m.trainImages().min().item());
        assertEquals(1f, m.trainImages().max().item());
        // Every class is present in the subset's labels.
        Tensor counts = Tensor.zeros(10);
        for (float y : m.trainLabels().toArray()) {
            counts.set(counts.get((int) y) + 1, (int) y);
        }
        assertTrue(counts.min().item() > 400, "each class should have ~600 images: " + counts);
    }

    @Test
    void aNamedDirectoryIsReadAndAMissingOneNamed() throws Exception {
        Path empty = Files.createTempDirectory("fashion-empty");
        try {
            var e = assertThrows(java.nio.file.NoSuchFileException.class, () -> FashionMnist.load(empty, false));
            assertTrue(e.getMessage().contains("train-images-idx3-ubyte"), e.getMessage());
        } finally {
            Files.delete(empty);
        }
        assertThrows(IndexOutOfBoundsException.class, () -> FashionMnist.className(10));
    }

    @Test
    void withoutADirectoryTheDebianSetOrTheSubsetIsUsedAndNamed() throws Exception {
        FashionMnist.Loaded l = FashionMnist.load(false);
        boolean debian = Files.isDirectory(Path.of(FashionMnist.DEBIAN_DIR));
        assertEquals(debian ? 60000 : 6000, l.data().trainImages().size(0));
        assertTrue(l.source().contains(debian ? "Debian" : "bundled"), l.source());
    }
}
