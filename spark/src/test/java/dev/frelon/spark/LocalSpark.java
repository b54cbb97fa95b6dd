package dev.frelon.spark;

import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.sql.SparkSession;

/** A local Spark for the tests, on the loopback address, without the web UI and quiet. */
final class LocalSpark {

    private LocalSpark() {
    }

    static SparkSession start(String master, String name) {
        SparkJvmOptions.check();
        SparkSession spark = SparkSession.builder().master(master).appName(name)
                .config("spark.ui.enabled", "false").config("spark.driver.host", "127.0.0.1")
                .config("spark.driver.bindAddress", "127.0.0.1")
                // Spark's default, set here because a test counts on it: four attempts of a stage, then the job fails.
                .config("spark.stage.maxConsecutiveAttempts", "4").getOrCreate();
        JavaSparkContext.fromSparkContext(spark.sparkContext()).setLogLevel("ERROR");
        return spark;
    }
}
