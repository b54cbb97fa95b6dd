package dev.frelon.train.data;

import java.nio.file.Path;

/** Reads one CSV file and prints its shapes: {@link CsvReaderTest} runs it in a JVM with a small heap. */
public final class CsvWideRowCheck {
    private CsvWideRowCheck() {
    }

    /** @param args the file @throws Exception when it cannot be read */
    public static void main(String[] args) throws Exception {
        CsvData d = CsvReader.builder().build().read(Path.of(args[0]));
        System.out.println(d.features().shape()[0] + "x" + d.features().shape()[1] + " " + d.labels().sum().item());
    }
}
