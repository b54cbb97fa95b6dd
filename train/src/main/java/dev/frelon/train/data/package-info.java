/**
 * Datasets and their loading: the {@link dev.frelon.train.data.Dataset} abstraction, an in-memory
 * {@link dev.frelon.train.data.TensorDataset}, a prefetching, seeded {@link dev.frelon.train.data.DataLoader},
 * readers for IDX (MNIST) and CSV files, and seeded train/validation splits and k-fold cross-validation.
 */
package dev.frelon.train.data;
