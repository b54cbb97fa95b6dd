package dev.frelon.train.plot;

import dev.frelon.core.Tensor;

import javax.imageio.ImageIO;
import java.awt.image.BufferedImage;
import java.awt.image.WritableRaster;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Arrays;

/**
 * Writes grayscale images as a grid in one PNG file, for example a batch of digits, or originals above their
 * reconstructions. Images are a tensor {@code [N, 1, H, W]} or {@code [N, H, W]} with values in [0, 1]
 * (0 black, 1 white); values outside are clamped and NaN is drawn black. Cells are separated by
 * {@code padding} pixels of mid-gray, and each image pixel becomes a {@code scale x scale} block.
 */
public final class ImageGrid {
    /** The gray level of the padding between cells. */
    static final int PAD_GRAY = 128;

    private ImageGrid() {
    }

    /**
     * Renders images into a grid, row by row.
     *
     * @param images {@code [N, 1, H, W]} or {@code [N, H, W]}, values in [0, 1]
     * @param columns images per row, at least 1
     * @param scale pixels per image pixel along each axis, 1 to 64
     * @param padding pixels between cells and around the grid, 0 to 64
     * @return an 8-bit grayscale image
     */
    public static BufferedImage render(Tensor images, int columns, int scale, int padding) {
        Tensor x = as3d("ImageGrid.render", images);
        int n = x.size(0);
        int[] cells = new int[n];
        for (int i = 0; i < n; i++) {
            cells[i] = i;
        }
        return render("ImageGrid.render", new Tensor[] {x}, new int[n], cells, columns, scale, padding);
    }

    /**
     * Writes images as a grid to a PNG file, atomically.
     *
     * @param file the target file, replaced if it exists
     * @param images {@code [N, 1, H, W]} or {@code [N, H, W]}, values in [0, 1]
     * @param columns images per row
     * @param scale pixels per image pixel, 1 to 64
     * @param padding pixels between cells, 0 to 64
     * @throws IOException when writing fails
     */
    public static void write(Path file, Tensor images, int columns, int scale, int padding) throws IOException {
        writePng(file, render(images, columns, scale, padding));
    }

    /**
     * Writes images as a grid with 2x scaling and 2 pixels of padding.
     *
     * @param file the target file
     * @param images {@code [N, 1, H, W]} or {@code [N, H, W]}, values in [0, 1]
     * @param columns images per row
     * @throws IOException when writing fails
     */
    public static void write(Path file, Tensor images, int columns) throws IOException {
        write(file, images, columns, 2, 2);
    }

    /**
     * Renders originals and reconstructions in pairs of rows: a row of {@code perRow} originals, the row of
     * their reconstructions under it, then the next originals, and so on.
     *
     * @param originals {@code [N, 1, H, W]} or {@code [N, H, W]}
     * @param reconstructions the same shape as {@code originals} (a missing or extra channel dim of 1 is
     *     fine)
     * @param perRow images per row, at least 1
     * @param scale pixels per image pixel, 1 to 64
     * @param padding pixels between cells, 0 to 64
     * @return an 8-bit grayscale image
     */
    public static BufferedImage renderComparison(Tensor originals, Tensor reconstructions, int perRow, int scale,
                                                 int padding) {
        Tensor a = as3d("ImageGrid.renderComparison (originals)", originals);
        Tensor b = as3d("ImageGrid.renderComparison (reconstructions)", reconstructions);
        if (!Arrays.equals(a.shape(), b.shape())) {
            throw new IllegalArgumentException("ImageGrid.renderComparison: originals " + Arrays.toString(
                    originals.shape()) + " and reconstructions " + Arrays.toString(reconstructions.shape())
                    + " must hold the same number of images of the same size");
        }
        if (perRow < 1) {
            throw new IllegalArgumentException("ImageGrid.renderComparison: images per row must be at least 1, got "
                    + perRow);
        }
        int n = a.size(0);
        int blocks = (n + perRow - 1) / perRow;
        int cellsCount = blocks * 2 * perRow;
        int[] source = new int[cellsCount];
        int[] index = new int[cellsCount];
        Arrays.fill(index, -1);
        for (int i = 0; i < n; i++) {
            int block = i / perRow;
            int col = i % perRow;
            int top = block * 2 * perRow + col;
            source[top] = 0;
            index[top] = i;
            source[top + perRow] = 1;
            index[top + perRow] = i;
        }
        return render("ImageGrid.renderComparison", new Tensor[] {a, b}, source, index, perRow, scale, padding);
    }

    /**
     * Writes {@link #renderComparison} to a PNG file, atomically.
     *
     * @param file the target file
     * @param originals {@code [N, 1, H, W]} or {@code [N, H, W]}
     * @param reconstructions the same shape as {@code originals}
     * @param perRow images per row
     * @param scale pixels per image pixel, 1 to 64
     * @throws IOException when writing fails
     */
    public static void writeComparison(Path file, Tensor originals, Tensor reconstructions, int perRow, int scale)
            throws IOException {
        writePng(file, renderComparison(originals, reconstructions, perRow, scale, 2));
    }

    private static Tensor as3d(String op, Tensor t) {
        if (t.dim() == 4 && t.size(1) == 1) {
            return t.reshape(t.size(0), t.size(2), t.size(3));
        }
        if (t.dim() == 3) {
            return t;
        }
        throw new IllegalArgumentException(op + ": expected grayscale images [N, 1, H, W] or [N, H, W], got shape "
                + Arrays.toString(t.shape()));
    }

    /** Draws cell {@code c} from {@code tensors[source[c]]} image {@code index[c]}, or blank when it is -1. */
    private static BufferedImage render(String op, Tensor[] tensors, int[] source, int[] index, int columns,
                                        int scale, int padding) {
        if (columns < 1 || scale < 1 || scale > 64 || padding < 0 || padding > 64) {
            throw new IllegalArgumentException(op + ": need columns >= 1, scale in [1, 64] and padding in [0, 64], "
                    + "got columns " + columns + ", scale " + scale + ", padding " + padding);
        }
        int n = index.length;
        if (n == 0) {
            throw new IllegalArgumentException(op + ": no images to draw (N = 0)");
        }
        int h = tensors[0].size(1);
        int w = tensors[0].size(2);
        int cols = Math.min(columns, n);
        int rows = (n + cols - 1) / cols;
        long cw = (long) w * scale;
        long chh = (long) h * scale;
        long width = cols * cw + (cols + 1L) * padding;
        long height = rows * chh + (rows + 1L) * padding;
        if (width > 32768 || height > 32768 || width * height > (1L << 28)) {
            throw new IllegalArgumentException(op + ": the grid would be " + width + "x" + height
                    + " pixels; too large (at most 32768 per side and 2^28 in all): use fewer images or a smaller "
                    + "scale");
        }
        float[][] data = new float[tensors.length][];
        for (int t = 0; t < tensors.length; t++) {
            data[t] = tensors[t].contiguous().toArray();
        }
        BufferedImage img = new BufferedImage((int) width, (int) height, BufferedImage.TYPE_BYTE_GRAY);
        WritableRaster r = img.getRaster();
        int[] fill = new int[(int) (width * height)];
        Arrays.fill(fill, PAD_GRAY);
        r.setPixels(0, 0, (int) width, (int) height, fill);
        int[] line = new int[(int) cw];
        for (int c = 0; c < n; c++) {
            int x0 = (int) (padding + (c % cols) * (cw + padding));
            int y0 = (int) (padding + (c / cols) * (chh + padding));
            if (index[c] < 0) {
                continue; // an empty cell stays padding gray
            }
            float[] d = data[source[c]];
            int base = index[c] * h * w;
            for (int yy = 0; yy < h; yy++) {
                for (int xx = 0; xx < w; xx++) {
                    int g = gray(d[base + yy * w + xx]);
                    for (int s = 0; s < scale; s++) {
                        line[xx * scale + s] = g;
                    }
                }
                for (int s = 0; s < scale; s++) {
                    r.setPixels(x0, y0 + yy * scale + s, (int) cw, 1, line);
                }
            }
        }
        return img;
    }

    /** Maps [0, 1] to 0..255, clamping; NaN is black. */
    static int gray(float v) {
        if (!(v > 0)) {
            return 0;
        }
        if (v >= 1) {
            return 255;
        }
        return Math.round(v * 255f);
    }

    private static void writePng(Path file, BufferedImage img) throws IOException {
        PlotFiles.writeAtomically(file, out -> {
            if (!ImageIO.write(img, "png", out)) {
                throw new IOException("ImageGrid: no PNG writer is available in this JDK; cannot write " + file);
            }
        });
    }
}
