/**
 * Data-parallel training on Apache Spark: {@link dev.frelon.spark.SparkTrainer} trains one Frelon model on N
 * workers, each a Spark barrier task holding a replica, with a gradient all-reduce every step (synchronous, equal
 * to single-machine training with the global batch) or parameter averaging every K steps.
 * {@link dev.frelon.spark.SparkData} turns a Frelon {@code Dataset} or a DataFrame into the
 * {@link dev.frelon.spark.Sample}s it trains on, {@link dev.frelon.spark.ShardPlan} says which examples each worker
 * takes at each step, and {@link dev.frelon.spark.SparkJvmOptions} holds the JVM options Spark needs on Java 25.
 * Spark is a {@code provided} dependency: the cluster, or the application, brings it.
 */
package dev.frelon.spark;
