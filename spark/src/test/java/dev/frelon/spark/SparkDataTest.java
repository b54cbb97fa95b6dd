package dev.frelon.spark;

import dev.frelon.core.Tensor;
import dev.frelon.train.data.TensorDataset;
import org.apache.spark.SparkException;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class SparkDataTest {

    static SparkSession spark;
    static JavaSparkContext sc;

    @BeforeAll
    static void startSpark() {
        spark = LocalSpark.start("local[1]", "frelon-spark-data-test");
        sc = JavaSparkContext.fromSparkContext(spark.sparkContext());
    }

    @AfterAll
    static void stopSpark() {
        spark.stop();
    }

    static Dataset<Row> frame(List<Row> rows) {
        StructType schema = new StructType()
                .add("pixels", DataTypes.createArrayType(DataTypes.DoubleType))
                .add("label", DataTypes.IntegerType)
                .add("name", DataTypes.StringType);
        return spark.createDataFrame(rows, schema);
    }

    @Test
    void rowsBecomeSamplesOfTheGivenShapeInOrder() {
        Dataset<Row> df = frame(List.of(
                RowFactory.create(List.of(1.0, 2.0, 3.0, 4.0), 7, "a"),
                RowFactory.create(List.of(-1.5, 0.25, 0.0, 9.0), 2, "b")));
        List<Sample> s = SparkData.fromRows(df, "pixels", "label", 1, 2, 2).collect();
        assertEquals(2, s.size());
        assertArrayEquals(new float[] {1, 2, 3, 4}, s.get(0).x());
        assertArrayEquals(new int[] {1, 2, 2}, s.get(0).xShape());
        assertArrayEquals(new float[] {7}, s.get(0).y());
        assertArrayEquals(new int[0], s.get(0).yShape());
        assertArrayEquals(new float[] {-1.5f, 0.25f, 0, 9}, s.get(1).x());
        assertEquals(0, s.get(1).target().dim());
        assertEquals(2f, s.get(1).target().item());
        assertArrayEquals(new int[] {1, 2, 2}, s.get(1).input().shape());
    }

    @Test
    void badColumnsAreNamed() {
        Dataset<Row> df = frame(List.of(RowFactory.create(List.of(1.0, 2.0), 1, "a")));
        var e = assertThrows(IllegalArgumentException.class, () -> SparkData.fromRows(df, "image", "label", 2));
        assertTrue(e.getMessage().contains("no column image in [pixels, label, name]"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> SparkData.fromRows(df, "name", "label", 2));
        assertTrue(e.getMessage().contains("column name is string, expected a numeric array"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> SparkData.fromRows(df, "pixels", "name", 2));
        assertTrue(e.getMessage().contains("column name is string, expected numeric"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> SparkData.fromRows(df, "pixels", "label", 0, 2));
        assertTrue(e.getMessage().contains("has a dim below 1"), e.getMessage());
    }

    @Test
    void aRowOfTheWrongLengthFailsTheJobWithTheLengths() {
        Dataset<Row> df = frame(List.of(RowFactory.create(List.of(1.0, 2.0, 3.0), 1, "a")));
        var e = assertThrows(SparkException.class, () -> SparkData.fromRows(df, "pixels", "label", 2, 2).count());
        assertTrue(e.getMessage().contains("column pixels holds 3 values in a row, inputShape [2, 2] needs 4"),
                e.getMessage());
    }

    @Test
    void aFrelonDatasetIsShippedInOrder() {
        TensorDataset ds = new TensorDataset(Tensor.arange(12).reshape(6, 2), Tensor.of(new float[] {0, 1, 2, 0, 1, 2}));
        List<Sample> s = SparkData.fromDataset(sc, ds, 3).collect();
        assertEquals(6, s.size());
        for (int i = 0; i < 6; i++) {
            assertArrayEquals(new float[] {2 * i, 2 * i + 1}, s.get(i).x());
            assertArrayEquals(new float[] {i % 3}, s.get(i).y());
        }
        assertThrows(IllegalArgumentException.class, () -> SparkData.fromDataset(sc, ds, 0));
    }

    @Test
    void samplesCheckTheirShapes() {
        var e = assertThrows(IllegalArgumentException.class,
                () -> new Sample(new float[3], new int[] {2, 2}, new float[1], new int[0]));
        assertTrue(e.getMessage().contains("x has 3 elements, but its shape [2, 2] holds 4"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class,
                () -> new Sample(new float[0], new int[] {-1}, new float[1], new int[0]));
        assertTrue(e.getMessage().contains("negative dim"), e.getMessage());
    }
}
