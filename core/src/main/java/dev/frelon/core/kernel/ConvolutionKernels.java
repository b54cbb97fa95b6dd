package dev.frelon.core.kernel;

import java.util.Objects;

/**
 * The matrix products of a stride-1 convolution that read the runs of a padded image in place instead of copying
 * them into an im2col matrix: {@code C (+)= A·B} where the rows of B ({@link #rowTableProduct}, the forward) or its
 * columns ({@link #columnTableProduct}, the weight gradient) are dense runs of one array found through a table of
 * offsets. The runs may overlap, which is how the shifted windows of one image become the rows or columns of B
 * without a copy. Operands are described by the small records below rather than by positional offsets and
 * strides; m, n and k are as in {@link GemmKernel}: C is m×n, A is m×k, B is k×n. C must not overlap A or B.
 * The plain implementation, {@link ScalarConvolution}, is the oracle in tests.
 *
 * <p>Beside the products, {@link #addRows} and {@link #copyRows} are what a strided fold (col2im) and unfold
 * (im2col) are made of: short rows of one matrix added or copied into another with a different row stride.
 */
public interface ConvolutionKernels {

    /** The implementation this JVM runs: the Vector API one wherever that path is available ({@link Kernels}). */
    ConvolutionKernels CHOSEN = Kernels.choose(ConvolutionKernels.class, "VectorConvolution", ScalarConvolution::new,
            isa -> true);

    /**
     * Floats past the end of a B row that {@link #rowTableProduct} may read (and not use): the storage of a
     * {@link RowTable} must hold this many floats after the end of its last run.
     */
    int ROW_TABLE_SLACK = 64;

    /**
     * A matrix with arbitrary row and column strides (a transposed operand needs no copy):
     * {@code M[i][p] = data[offset + i·rowStride + p·colStride]}.
     *
     * @param data storage
     * @param offset index of {@code M[0][0]}
     * @param rowStride distance between consecutive rows
     * @param colStride distance between consecutive columns
     */
    record Strided(float[] data, int offset, int rowStride, int colStride) {
        /** Checks that there is storage. */
        public Strided {
            Objects.requireNonNull(data, "data");
        }
    }

    /**
     * A matrix with dense rows: {@code M[i][j] = data[offset + i·rowStride + j]}.
     *
     * @param data storage
     * @param offset index of {@code M[0][0]}
     * @param rowStride distance between consecutive rows (at least the number of columns used)
     */
    record DenseRows(float[] data, int offset, int rowStride) {
        /** Checks that there is storage. */
        public DenseRows {
            Objects.requireNonNull(data, "data");
        }
    }

    /**
     * The B of a {@link #rowTableProduct}: row p is the dense run that starts at {@code offset + rows[p]}, so
     * {@code B[p][j] = data[offset + rows[p] + j]}. For a stride-1 convolution, row {@code (c, ki, kj)} of the wide
     * im2col matrix is the run of the padded image at {@code c·Hp·Wp + ki·Wp + kj}. Rows may overlap. The storage
     * must hold {@link #ROW_TABLE_SLACK} floats past the end of every run.
     *
     * @param data storage
     * @param offset added to every row's offset
     * @param rows offset of row p, for {@code p < k}
     */
    record RowTable(float[] data, int offset, int[] rows) {
        /** Checks that there are storage and a table. */
        public RowTable {
            Objects.requireNonNull(data, "data");
            Objects.requireNonNull(rows, "rows");
        }
    }

    /**
     * The B of a {@link #columnTableProduct}: column j is the dense run that starts at {@code offset + columns[j]},
     * so {@code B[p][j] = data[offset + columns[j] + p]}. Columns may overlap; nothing past a run is read.
     *
     * @param data storage
     * @param offset added to every column's offset
     * @param columns offset of column j, for {@code j < n}
     */
    record ColumnTable(float[] data, int offset, int[] columns) {
        /** Checks that there are storage and a table. */
        public ColumnTable {
            Objects.requireNonNull(data, "data");
            Objects.requireNonNull(columns, "columns");
        }
    }

    /**
     * {@code count} row-table products with the same A (a batch of images against one weight, which is then
     * prepared once): product e reads B from {@code RowTable.offset + e·bStep} and writes its own C from
     * {@code DenseRows.offset + e·cStep}.
     *
     * @param count number of products (0: nothing is written)
     * @param bStep distance between the B operands of consecutive products
     * @param cStep distance between the C results of consecutive products (the results must not overlap)
     */
    record Batch(int count, int bStep, int cStep) {
        /** A single product. */
        public static final Batch ONE = new Batch(1, 0, 0);

        /** Checks that the count is not negative. */
        public Batch {
            if (count < 0) {
                throw new IllegalArgumentException("count must not be negative, got " + count);
            }
        }
    }

    /**
     * {@code count} column-table products summed into one C, {@code C (+)= Σ_e A_e·B_e} (a weight gradient summed
     * over a batch of images in one call): product e reads A from {@code DenseRows.offset + e·aStep} and B from
     * {@code ColumnTable.offset + e·bStep}.
     *
     * @param count number of products summed (0: C is zeroed, or left as it is when accumulating)
     * @param aStep distance between the A operands of consecutive products
     * @param bStep distance between the B operands of consecutive products
     */
    record Sum(int count, int aStep, int bStep) {
        /** A single product. */
        public static final Sum ONE = new Sum(1, 0, 0);

        /** Checks that the count is not negative. */
        public Sum {
            if (count < 0) {
                throw new IllegalArgumentException("count must not be negative, got " + count);
            }
        }
    }

    /**
     * Computes {@code C (+)= A·B} where the rows of B are dense runs found through a table of offsets:
     * {@code B[p][j] = b.data[b.offset + b.rows[p] + j]}. A convolution with stride 1 uses it to read the shifted
     * runs of a padded image as the rows of its im2col matrix without copying them. An implementation may read (not
     * use) up to {@link #ROW_TABLE_SLACK} floats past the end of each row. Same as
     * {@link #rowTableProduct(int, int, int, Strided, RowTable, DenseRows, boolean, Batch)} with {@link Batch#ONE}.
     *
     * @param m rows of A and C
     * @param n columns of B and C
     * @param k columns of A, rows of B
     * @param a A, m×k, any strides
     * @param b B, k×n, rows through the table
     * @param c C, m×n (modified)
     * @param accumulate when true C is added to, otherwise overwritten
     */
    default void rowTableProduct(int m, int n, int k, Strided a, RowTable b, DenseRows c, boolean accumulate) {
        rowTableProduct(m, n, k, a, b, c, accumulate, Batch.ONE);
    }

    /**
     * {@link #rowTableProduct(int, int, int, Strided, RowTable, DenseRows, boolean)} for {@code batch.count}
     * products with the same A: product e computes {@code C_e (+)= A·B_e}, with
     * {@code B_e[p][j] = b.data[b.offset + e·batch.bStep + b.rows[p] + j]} and
     * {@code C_e[i][j] = c.data[c.offset + e·batch.cStep + i·c.rowStride + j]}. Only the m×n elements of each
     * {@code C_e} are written; with {@code count == 0} nothing is.
     *
     * @param m rows of A and of each C
     * @param n columns of each B and C
     * @param k columns of A, rows of each B
     * @param a A, m×k, any strides, shared by all products
     * @param b B of product 0, k×n, rows through the table
     * @param c C of product 0, m×n (modified, with those of the other products)
     * @param accumulate when true each C is added to, otherwise overwritten
     * @param batch the number of products and the distances between their operands
     */
    void rowTableProduct(int m, int n, int k, Strided a, RowTable b, DenseRows c, boolean accumulate, Batch batch);

    /**
     * Computes {@code C (+)= A·B} where A has dense rows and the columns of B are dense runs found through a table
     * of offsets: {@code A[i][p] = a.data[a.offset + i·a.rowStride + p]},
     * {@code B[p][j] = b.data[b.offset + b.columns[j] + p]}; every C value is a dot product of two runs. A stride-1
     * convolution's weight gradient reads the shifted runs of a padded image in place through it. Nothing past a
     * run is read. Same as
     * {@link #columnTableProduct(int, int, int, DenseRows, ColumnTable, DenseRows, boolean, Sum)} with
     * {@link Sum#ONE}.
     *
     * @param m rows of A and C
     * @param n columns of B and C
     * @param k columns of A, rows of B (the length of the dot products)
     * @param a A, m×k, dense rows
     * @param b B, k×n, columns through the table
     * @param c C, m×n (modified)
     * @param accumulate when true C is added to, otherwise overwritten
     */
    default void columnTableProduct(int m, int n, int k, DenseRows a, ColumnTable b, DenseRows c, boolean accumulate) {
        columnTableProduct(m, n, k, a, b, c, accumulate, Sum.ONE);
    }

    /**
     * {@link #columnTableProduct(int, int, int, DenseRows, ColumnTable, DenseRows, boolean)} summed over
     * {@code sum.count} products: {@code C (+)= Σ_e A_e·B_e}, with
     * {@code A_e[i][p] = a.data[a.offset + e·sum.aStep + i·a.rowStride + p]} and
     * {@code B_e[p][j] = b.data[b.offset + e·sum.bStep + b.columns[j] + p]}. With {@code count == 0}, C is zeroed
     * unless {@code accumulate}, when it is left as it is.
     *
     * @param m rows of each A and of C
     * @param n columns of each B and of C
     * @param k columns of each A, rows of each B (the length of the dot products)
     * @param a A of product 0, m×k, dense rows
     * @param b B of product 0, k×n, columns through the table
     * @param c C, m×n (modified)
     * @param accumulate when true C is added to, otherwise overwritten
     * @param sum the number of products and the distances between their operands
     */
    void columnTableProduct(int m, int n, int k, DenseRows a, ColumnTable b, DenseRows c, boolean accumulate, Sum sum);

    /**
     * Adds a block of rows into another: {@code b[bOff + r·bStride + j] += a[aOff + r·aStride + j]} for
     * {@code r < rows}, {@code j < n}, row after row, each sum rounded once (the same bits on every path). This is
     * what a strided fold is made of: the rows are as short as an image row (14 floats for a 14×14 image), so the
     * plain loop would run them one float at a time.
     *
     * <p>For a whole vector per row end, an implementation may read up to one vector of a past the end of a row and
     * rewrite the floats of b up to one vector past the end of a row with {@code +0} added, wherever the arrays
     * hold them (it adds the row ends one float at a time where they do not). So b's floats just past each row
     * (the next row, or padding) must not be written by another thread meanwhile, and a −0 there may become +0.
     * a and b must not overlap.
     *
     * @param rows number of rows
     * @param n floats per row
     * @param a the rows added, {@code a[aOff + r·aStride + j]}
     * @param aOff index of a's first float
     * @param aStride distance between a's rows
     * @param b the rows added to (modified), {@code b[bOff + r·bStride + j]}
     * @param bOff index of b's first float
     * @param bStride distance between b's rows
     * @throws IllegalArgumentException if rows or n is negative
     */
    void addRows(int rows, int n, float[] a, int aOff, int aStride, float[] b, int bOff, int bStride);

    /**
     * Copies a block of rows into another: {@code b[bOff + r·bStride + j] = a[aOff + r·aStride + j]} for
     * {@code r < rows}, {@code j < n}, row after row: the strided unfold's counterpart of {@link #addRows}, with the
     * same reach past each row's end (b's floats there are read and written back unchanged). a and b must not
     * overlap.
     *
     * @param rows number of rows
     * @param n floats per row
     * @param a the rows copied, {@code a[aOff + r·aStride + j]}
     * @param aOff index of a's first float
     * @param aStride distance between a's rows
     * @param b the rows written (modified), {@code b[bOff + r·bStride + j]}
     * @param bOff index of b's first float
     * @param bStride distance between b's rows
     * @throws IllegalArgumentException if rows or n is negative
     */
    void copyRows(int rows, int n, float[] a, int aOff, int aStride, float[] b, int bOff, int bStride);

    /**
     * Checks the counts of {@link #addRows} and {@link #copyRows}.
     *
     * @param op the method's name, for the message
     * @param rows number of rows
     * @param n floats per row
     * @throws IllegalArgumentException if either is negative
     */
    static void checkRows(String op, int rows, int n) {
        if (rows < 0 || n < 0) {
            throw new IllegalArgumentException(op + ": rows and floats per row must be ≥ 0, got " + rows + " rows of "
                    + n);
        }
    }
}
