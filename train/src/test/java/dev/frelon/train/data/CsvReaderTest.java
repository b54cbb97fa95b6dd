package dev.frelon.train.data;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.StringReader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class CsvReaderTest {
    @TempDir
    Path dir;

    private static CsvData read(CsvReader r, String text) throws IOException {
        return r.read(new StringReader(text), "test.csv");
    }

    private static IOException fails(CsvReader r, String text) {
        return assertThrows(IOException.class, () -> read(r, text));
    }

    private static void assertMentions(Throwable e, String... parts) {
        for (String p : parts) {
            assertTrue(e.getMessage().contains(p), "message should mention '" + p + "': " + e.getMessage());
        }
    }

    @Test
    void readsAFileWithAHeaderAndANamedLabel() throws IOException {
        Path f = Files.writeString(dir.resolve("data.csv"), "a, label ,b\n1,0,2.5\n\n-3,1,4e2\n");
        CsvData d = CsvReader.builder().header(true).labelColumn("label").build().read(f);
        assertEquals(2, d.rows());
        assertArrayEquals(new int[] {2, 2}, d.features().shape());
        assertArrayEquals(new float[] {1, 2.5f, -3, 400}, d.features().toArray(), 0f);
        assertArrayEquals(new float[] {0, 1}, d.labels().toArray(), 0f);
        assertEquals(List.of("a", "b"), d.featureNames());
        assertEquals("label", d.labelName());
        assertEquals(List.of(), d.classNames());
        assertEquals(2, d.toDataset().size());
    }

    @Test
    void defaultsToNoHeaderAndTheLastColumn() throws IOException {
        CsvData d = read(CsvReader.builder().build(), "1,2,3\r\n4,5,6\r\n");
        assertArrayEquals(new float[] {1, 2, 4, 5}, d.features().toArray(), 0f);
        assertArrayEquals(new float[] {3, 6}, d.labels().toArray(), 0f);
        assertEquals(List.of("column 1", "column 2"), d.featureNames());
        assertEquals("column 3", d.labelName());
    }

    @Test
    void labelByIndexOtherSeparatorsAndQuotes() throws IOException {
        CsvData d = read(CsvReader.builder().separator(';').header(true).labelColumn(0).build(),
                "\uFEFF\"y\";\"x; first\";\"say \"\"hi\"\"\"\n7;1.5;2\n8;\"3\";4\n");
        assertArrayEquals(new float[] {7, 8}, d.labels().toArray(), 0f);
        assertArrayEquals(new float[] {1.5f, 2, 3, 4}, d.features().toArray(), 0f);
        assertEquals(List.of("x; first", "say \"hi\""), d.featureNames());
        CsvData t = read(CsvReader.builder().separator('\t').labelColumn(-2).build(), "1\t2\t3\n");
        assertArrayEquals(new float[] {2}, t.labels().toArray(), 0f);
        assertArrayEquals(new float[] {1, 3}, t.features().toArray(), 0f);
    }

    @Test
    void categoricalLabelsBecomeSortedClassIndices() throws IOException {
        CsvData d = read(CsvReader.builder().header(true).labelColumn("species").categoricalLabels(true).build(),
                "len,species\n1,virginica\n2,setosa\n3,versicolor\n4,setosa\n");
        assertEquals(List.of("setosa", "versicolor", "virginica"), d.classNames());
        assertArrayEquals(new float[] {2, 0, 1, 0}, d.labels().toArray(), 0f);
    }

    @Test
    void nonNumericCellsNameLineColumnAndHeader() {
        IOException e = fails(CsvReader.builder().header(true).build(), "a,b,c\n1,2,3\n4,five,6\n");
        assertMentions(e, "test.csv line 3, column 2 ('b')", "'five'", "not a number", "expected a number");
        IOException noHeader = fails(CsvReader.builder().build(), "1,2\n3,x\n");
        assertMentions(noHeader, "line 2, column 2", "'x'");
        IOException empty = fails(CsvReader.builder().build(), "1,2\n3,\n");
        assertMentions(empty, "line 2, column 2", "empty cell");
        IOException range = fails(CsvReader.builder().build(), "1,1e60\n");
        assertMentions(range, "beyond the float range", "'1e60'");
        IOException quote = fails(CsvReader.builder().build(), "1,\"2\n");
        assertMentions(quote, "line 1, column 2", "not closed");
    }

    @Test
    void raggedRowsAreRejected() {
        IOException e = fails(CsvReader.builder().build(), "1,2,3\n4,5\n");
        assertMentions(e, "line 2", "found 2 cells, expected 3", "line 1");
    }

    @Test
    void emptyAndHeaderOnlyFilesAreRejected() {
        assertMentions(fails(CsvReader.builder().build(), ""), "test.csv", "empty");
        assertMentions(fails(CsvReader.builder().build(), "\n  \n"), "empty");
        assertMentions(fails(CsvReader.builder().header(true).build(), "a,b\n"), "no data rows");
        assertMentions(fails(CsvReader.builder().build(), "1\n2\n"), "found 1 column", "at least 2");
    }

    @Test
    void unknownLabelColumnsAreRejected() {
        assertMentions(fails(CsvReader.builder().header(true).labelColumn("z").build(), "a,b\n1,2\n"),
                "no column named 'z'", "[a, b]");
        assertMentions(fails(CsvReader.builder().labelColumn(5).build(), "1,2\n"), "index 5", "2 columns");
        assertMentions(fails(CsvReader.builder().labelColumn("a").build(), "1,2\n"), "without a header");
        assertThrows(IllegalArgumentException.class, () -> CsvReader.builder().separator('"'));
    }

    @Test
    void invalidUtf8NamesTheFile() throws IOException {
        Path f = Files.write(dir.resolve("latin1.csv"), new byte[] {'1', ',', (byte) 0xE9, '\n'});
        IOException e = assertThrows(IOException.class, () -> CsvReader.builder().build().read(f));
        assertMentions(e, f.toString(), "not valid UTF-8");
    }

    @Test
    void growsPastTheInitialBuffers() throws IOException {
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < 1000; i++) {
            sb.append(i).append(',').append(2 * i).append(',').append(i % 3).append('\n');
        }
        CsvData d = read(CsvReader.builder().build(), sb.toString());
        assertEquals(1000, d.rows());
        assertEquals(1998f, d.features().get(999, 1), 0f);
        assertEquals(0f, d.labels().get(999), 0f);
    }

    @Test
    void wideRowsAreReadCellByCellInAHeapTheirTextWouldNotFitIn(@org.junit.jupiter.api.io.TempDir Path dir)
            throws Exception {
        // Two rows of 2,500,000 cells, 10 MB of text each. Holding each row as a String, its cells as Strings and
        // a name String per column needed more than 128 MB of heap; read cell by cell, with column names computed
        // on demand, the numbers kept (4 bytes a cell, 20 MB) are what count, and 96 MB is enough.
        Path file = dir.resolve("wide.csv");
        int cells = 2_500_000;
        try (var w = java.nio.file.Files.newBufferedWriter(file)) {
            for (int row = 0; row < 2; row++) {
                for (int c = 0; c < cells - 1; c++) {
                    w.write("1.5,");
                }
                w.write(row == 0 ? "3\n" : "4\n");
            }
        }
        Process p = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-Xmx96m",
                "-Dfrelon.quiet=true", "-cp", System.getProperty("java.class.path"), CsvWideRowCheck.class.getName(),
                file.toString()).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
        assertTrue(p.waitFor(120, java.util.concurrent.TimeUnit.SECONDS));
        assertEquals(0, p.exitValue(), out);
        assertTrue(out.contains("2x" + (cells - 1) + " 7.0"), out);
    }
}
