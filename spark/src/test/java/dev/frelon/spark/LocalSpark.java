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
                .config("spark.driver.bindAddress", "127.0.0.1").getOrCreate();
        JavaSparkContext.fromSparkContext(spark.sparkContext()).setLogLevel("ERROR");
        return spark;
    }
}
