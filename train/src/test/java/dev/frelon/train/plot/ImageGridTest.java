package dev.frelon.train.plot;

import dev.frelon.core.Tensor;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import javax.imageio.ImageIO;
import java.awt.image.BufferedImage;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ImageGridTest {
    @TempDir
    Path dir;

    private static int gray(BufferedImage img, int x, int y) {
        return img.getRaster().getSample(x, y, 0);
    }

    @Test
    void writesAGridThatReadsBack() throws Exception {
        // 3 images of 2x2: image i is uniform i/2 (0, 0.5, 1), except pixel (1,1) of image 0 which is 1.
        float[] v = {0, 0, 0, 1, 0.5f, 0.5f, 0.5f, 0.5f, 1, 1, 1, 1};
        Path file = dir.resolve("grid.png");
        ImageGrid.write(file, Tensor.of(v, 3, 1, 2, 2), 2, 3, 1);
        BufferedImage img = ImageIO.read(file.toFile());
        // 2 columns x (2 px * 3) + 3 paddings = 15 wide; 2 rows -> 15 high
        assertEquals(15, img.getWidth());
        assertEquals(15, img.getHeight());
        assertEquals(ImageGrid.PAD_GRAY, gray(img, 0, 0));
        assertEquals(0, gray(img, 1, 1));               // image 0, pixel (0,0)
        assertEquals(255, gray(img, 1 + 3, 1 + 3));     // image 0, pixel (1,1), scaled 3x
        assertEquals(255, gray(img, 6, 6));
        assertEquals(128, gray(img, 8, 1));             // image 1 starts at x = 1 + 6 + 1
        assertEquals(255, gray(img, 1, 8));             // image 2 in the second row
        assertEquals(ImageGrid.PAD_GRAY, gray(img, 10, 10)); // the empty fourth cell
    }

    @Test
    void comparisonPutsReconstructionsUnderOriginals() {
        Tensor originals = Tensor.full(1f, 3, 4, 4);
        Tensor recon = Tensor.zeros(3, 1, 4, 4);
        BufferedImage img = ImageGrid.renderComparison(originals, recon, 2, 1, 1);
        // 2 per row -> blocks of 2 rows; 3 images -> 2 blocks -> 4 rows of cells
        assertEquals(2 * 4 + 3, img.getWidth());
        assertEquals(4 * 4 + 5, img.getHeight());
        assertEquals(255, gray(img, 1, 1));   // original 0
        assertEquals(0, gray(img, 1, 6));     // its reconstruction, one cell lower
        assertEquals(255, gray(img, 1, 11));  // original 2, third cell row
        assertEquals(0, gray(img, 1, 16));
        assertEquals(ImageGrid.PAD_GRAY, gray(img, 6, 11)); // no fourth image
    }

    @Test
    void valuesAreClampedAndNaNIsBlack() {
        assertEquals(0, ImageGrid.gray(Float.NaN));
        assertEquals(0, ImageGrid.gray(-3f));
        assertEquals(255, ImageGrid.gray(7f));
        assertEquals(128, ImageGrid.gray(0.5f));
    }

    @Test
    void badShapesAreRejected() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> ImageGrid.render(Tensor.zeros(2, 3, 4, 4), 2, 1, 1));
        assertTrue(e.getMessage().contains("[2, 3, 4, 4]") && e.getMessage().contains("[N, 1, H, W]"), e.getMessage());
        assertThrows(IllegalArgumentException.class,
                () -> ImageGrid.renderComparison(Tensor.zeros(2, 4, 4), Tensor.zeros(3, 4, 4), 2, 1, 1));
        assertThrows(IllegalArgumentException.class, () -> ImageGrid.render(Tensor.zeros(0, 4, 4), 2, 1, 1));
        assertThrows(IllegalArgumentException.class, () -> ImageGrid.render(Tensor.zeros(1, 4, 4), 0, 1, 1));
        assertThrows(IllegalArgumentException.class, () -> ImageGrid.render(Tensor.zeros(1, 600, 600), 1, 64, 0));
    }
}
