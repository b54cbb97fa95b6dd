package dev.frelon.spark;

import dev.frelon.train.data.Dataset;
import dev.frelon.train.data.Example;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.types.ArrayType;
import org.apache.spark.sql.types.DataType;
import org.apache.spark.sql.types.NumericType;
import org.apache.spark.sql.types.StructField;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/** Turns data into the RDD of {@link Sample}s that {@link SparkTrainer#fit} trains on. */
public final class SparkData {

    private SparkData() {
    }

    /**
     * Distributes a Frelon data set from the driver, keeping its order.
     *
     * @param spark the Spark context
     * @param data the examples, read on the driver
     * @param slices the number of partitions to ship them in, at least 1
     * @return the samples, in the data set's order
     */
    public static JavaRDD<Sample> fromDataset(JavaSparkContext spark, Dataset data, int slices) {
        if (slices < 1) {
            throw new IllegalArgumentException("SparkData.fromDataset: slices must be >= 1, got " + slices);
        }
        List<Sample> samples = new ArrayList<>(data.size());
        for (int i = 0; i < data.size(); i++) {
            Example e = data.get(i);
            samples.add(Sample.of(e.x(), e.y()));
        }
        return spark.parallelize(samples, slices);
    }

    /**
     * Reads samples from a DataFrame's rows: a numeric array column of features, reshaped to {@code inputShape},
     * and a numeric label column, which becomes a 0-d target (a class index for classification). Rows keep the
     * DataFrame's order.
     *
     * @param rows the DataFrame
     * @param featuresColumn an {@code array<float>} or {@code array<double>} (or other numeric array) column
     * @param labelColumn a numeric column
     * @param inputShape the shape of one input, e.g. {@code 1, 28, 28}; its size must be the arrays' length
     * @return the samples
     * @throws IllegalArgumentException when a column is missing or of another type; a row whose array has the
     *         wrong length or holds a null fails the job with a message naming the column and the lengths
     */
    public static JavaRDD<Sample> fromRows(org.apache.spark.sql.Dataset<Row> rows, String featuresColumn,
                                           String labelColumn, int... inputShape) {
        int xi = columnIndex(rows, featuresColumn, "a numeric array",
                t -> t instanceof ArrayType a && a.elementType() instanceof NumericType);
        int yi = columnIndex(rows, labelColumn, "numeric", t -> t instanceof NumericType);
        int[] shape = inputShape.clone();
        long size = 1;
        for (int d : shape) {
            if (d < 1) {
                throw new IllegalArgumentException("SparkData.fromRows: inputShape " + Arrays.toString(shape)
                        + " has a dim below 1");
            }
            size *= d;
        }
        long expected = size;
        return rows.javaRDD().map(row -> {
            if (row.isNullAt(xi) || row.isNullAt(yi)) {
                throw new IllegalArgumentException("SparkData.fromRows: a row has a null in " + featuresColumn
                        + " or " + labelColumn);
            }
            List<Object> values = row.getList(xi);
            if (values.size() != expected) {
                throw new IllegalArgumentException("SparkData.fromRows: column " + featuresColumn + " holds "
                        + values.size() + " values in a row, inputShape " + Arrays.toString(shape) + " needs "
                        + expected);
            }
            float[] x = new float[values.size()];
            for (int i = 0; i < x.length; i++) {
                Object v = values.get(i);
                if (v == null) {
                    throw new IllegalArgumentException("SparkData.fromRows: column " + featuresColumn
                            + " has a null at position " + i);
                }
                x[i] = ((Number) v).floatValue();
            }
            float y = ((Number) row.get(yi)).floatValue();
            return new Sample(x, shape, new float[] {y}, new int[0]);
        });
    }

    private static int columnIndex(org.apache.spark.sql.Dataset<Row> rows, String name, String kind,
                                   java.util.function.Predicate<DataType> accepts) {
        StructField[] fields = rows.schema().fields();
        for (int i = 0; i < fields.length; i++) {
            if (fields[i].name().equals(name)) {
                if (!accepts.test(fields[i].dataType())) {
                    throw new IllegalArgumentException("SparkData.fromRows: column " + name + " is "
                            + fields[i].dataType().simpleString() + ", expected " + kind);
                }
                return i;
            }
        }
        throw new IllegalArgumentException("SparkData.fromRows: no column " + name + " in "
                + Arrays.toString(rows.schema().fieldNames()));
    }
}
