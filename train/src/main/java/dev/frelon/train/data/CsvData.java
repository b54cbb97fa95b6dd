package dev.frelon.train.data;

import dev.frelon.core.Tensor;

import java.util.List;

/**
 * The numeric content of a CSV file, as read by {@link CsvReader}.
 *
 * @param features the feature columns, {@code [N, F]}, in file order without the label column
 * @param labels the label column {@code [N]}: its numbers, or class indices for categorical labels
 * @param featureNames the names of the feature columns (from the header, or {@code "column 1"},
 *     {@code "column 2"}, ... by 1-based position in the file)
 * @param labelName the name of the label column
 * @param classNames for categorical labels the class names in index order (sorted), otherwise empty
 */
public record CsvData(Tensor features, Tensor labels, List<String> featureNames, String labelName,
                      List<String> classNames) {

    /**
     * Copies the name lists into unmodifiable lists; the tensors are kept as given.
     *
     * @param features the feature columns
     * @param labels the label column
     * @param featureNames the feature names (copied)
     * @param labelName the label name
     * @param classNames the class names (copied)
     * @throws NullPointerException when a name list is null or holds null
     */
    public CsvData {
        featureNames = featureNames instanceof CsvReader.ColumnNames ? featureNames : List.copyOf(featureNames);
        classNames = List.copyOf(classNames);
    }

    /**
     * The number of data rows read (the header excluded), the size of dim 0 of {@link #features()}.
     *
     * @return the number of rows
     */
    public int rows() {
        return features.size(0);
    }

    /**
     * Wraps the features and labels, without copying, in a dataset ready for a {@link DataLoader}.
     *
     * @return the features and labels as a dataset
     */
    public TensorDataset toDataset() {
        return new TensorDataset(features, labels);
    }
}
