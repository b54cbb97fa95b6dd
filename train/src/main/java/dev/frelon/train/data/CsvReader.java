package dev.frelon.train.data;

import dev.frelon.core.Tensor;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.Reader;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

/**
 * Reads a CSV file of numbers into a features tensor {@code [N, F]} and a label column {@code [N]}.
 *
 * <p>Format: one record per line, cells separated by a configurable character (comma by default) and trimmed
 * of surrounding spaces; a cell may be wrapped in double quotes (a doubled quote inside stands for one quote),
 * which allows a separator inside a header name. A record may not span lines. Blank lines are skipped; a
 * leading byte-order mark is ignored. Cells are parsed with {@link Float#parseFloat} (so {@code NaN} and
 * {@code Infinity} are accepted), but empty cells (missing values) and finite numbers beyond the float range
 * are errors.
 *
 * <p>The label column is chosen by 0-based index (negative counts from the end; the default is the last
 * column) or by header name. With {@linkplain Builder#categoricalLabels(boolean) categorical labels} the label
 * cells may be any text; the distinct values, sorted as strings, become class indices 0, 1, ...
 *
 * <p>Errors are {@link IOException}s naming the source, the 1-based line and column, the cell and what was
 * expected: non-numeric cells, rows with a different number of cells than the first one, an empty file, a
 * header without data rows, an unknown label column.
 */
public final class CsvReader {
    private final char separator;
    private final boolean header;
    private final int labelIndex;
    private final String labelName;
    private final boolean categorical;

    private CsvReader(Builder b) {
        this.separator = b.separator;
        this.header = b.header;
        this.labelIndex = b.labelIndex;
        this.labelName = b.labelName;
        this.categorical = b.categorical;
    }

    /**
     * Starts configuring a reader; {@code CsvReader.builder().build()} reads comma-separated numbers without a
     * header, the last column being the label.
     *
     * @return a builder: comma separator, no header, the last column as label, numeric labels
     */
    public static Builder builder() {
        return new Builder();
    }

    /**
     * Reads a UTF-8 file.
     *
     * @param file the file
     * @return its content
     * @throws IOException when the file cannot be read or its content is invalid
     */
    public CsvData read(Path file) throws IOException {
        try (BufferedReader r = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            return read(r, file.toString());
        } catch (CharacterCodingException e) {
            throw new IOException(file + ": not valid UTF-8 text (" + e + "); expected a UTF-8 (or ASCII) CSV file",
                    e);
        }
    }

    /**
     * Reads CSV text from a reader (which is not closed).
     *
     * @param reader the text
     * @param source a name for the text in error messages, for example a file name
     * @return its content
     * @throws IOException when reading fails or the content is invalid
     */
    public CsvData read(Reader reader, String source) throws IOException {
        BufferedReader in = reader instanceof BufferedReader br ? br : new BufferedReader(reader);
        List<String> names = null;
        int columns = -1;
        int firstLine = -1;
        int label = -1;
        float[] feats = new float[1024];
        int fill = 0;
        float[] numericLabels = new float[256];
        List<String> textLabels = new ArrayList<>();
        int rows = 0;
        int lineNo = 0;
        String line;
        while ((line = in.readLine()) != null) {
            lineNo++;
            if (lineNo == 1 && !line.isEmpty() && line.charAt(0) == '\uFEFF') {
                line = line.substring(1);
            }
            if (line.isBlank()) {
                continue;
            }
            List<String> cells = split(line, source, lineNo);
            if (columns < 0) {
                columns = cells.size();
                firstLine = lineNo;
                if (header) {
                    names = cells;
                }
                if (columns < 2) {
                    throw new IOException(source + " line " + lineNo + ": found 1 column; expected at least 2 "
                            + "(features and a label) separated by '" + separator + "'");
                }
                label = resolveLabel(names, columns, source, lineNo);
                if (header) {
                    continue;
                }
            }
            if (cells.size() != columns) {
                throw new IOException(source + " line " + lineNo + ": found " + cells.size() + " cells, expected "
                        + columns + " as on line " + firstLine + " (ragged rows are not allowed)");
            }
            int f = columns - 1;
            if (fill + f > feats.length) {
                feats = Arrays.copyOf(feats, Math.max(fill + f, (int) Math.min(Integer.MAX_VALUE - 8,
                        2L * feats.length)));
            }
            if (rows == numericLabels.length && !categorical) {
                numericLabels = Arrays.copyOf(numericLabels, 2 * rows);
            }
            for (int c = 0; c < columns; c++) {
                String cell = cells.get(c);
                if (c == label) {
                    if (categorical) {
                        if (cell.isEmpty()) {
                            throw cellError(source, lineNo, c, names, cell, "an empty label cell");
                        }
                        textLabels.add(cell);
                    } else {
                        numericLabels[rows] = parse(cell, source, lineNo, c, names);
                    }
                } else {
                    feats[fill++] = parse(cell, source, lineNo, c, names);
                }
            }
            rows++;
        }
        if (columns < 0) {
            throw new IOException(source + ": the file is empty; expected " + (header ? "a header line and " : "")
                    + "at least one row of numbers");
        }
        if (rows == 0) {
            throw new IOException(source + ": found a header on line " + firstLine + " but no data rows after it");
        }
        int f = columns - 1;
        Tensor x = Tensor.wrap(Arrays.copyOf(feats, rows * f), rows, f);
        List<String> featureNames = new ArrayList<>();
        for (int c = 0; c < columns; c++) {
            if (c != label) {
                featureNames.add(columnName(names, c));
            }
        }
        List<String> classNames = List.of();
        Tensor y;
        if (categorical) {
            Map<String, Integer> classes = new TreeMap<>();
            for (String t : textLabels) {
                classes.put(t, 0);
            }
            int k = 0;
            for (Map.Entry<String, Integer> e : classes.entrySet()) {
                e.setValue(k++);
            }
            float[] ys = new float[rows];
            for (int i = 0; i < rows; i++) {
                ys[i] = classes.get(textLabels.get(i));
            }
            y = Tensor.wrap(ys, rows);
            classNames = new ArrayList<>(classes.keySet());
        } else {
            y = Tensor.wrap(Arrays.copyOf(numericLabels, rows), rows);
        }
        return new CsvData(x, y, featureNames, columnName(names, label), classNames);
    }

    private int resolveLabel(List<String> names, int columns, String source, int lineNo) throws IOException {
        if (labelName != null) {
            if (names == null) {
                throw new IOException(source + ": label column '" + labelName + "' is chosen by name, but the "
                        + "reader was built without a header; use header(true) or choose the column by index");
            }
            int i = names.indexOf(labelName);
            if (i < 0) {
                throw new IOException(source + " line " + lineNo + ": no column named '" + labelName
                        + "' in the header; found " + names);
            }
            return i;
        }
        int i = labelIndex < 0 ? labelIndex + columns : labelIndex;
        if (i < 0 || i >= columns) {
            throw new IOException(source + " line " + lineNo + ": label column index " + labelIndex
                    + " is out of range for " + columns + " columns");
        }
        return i;
    }

    private static String columnName(List<String> names, int c) {
        return names != null ? names.get(c) : "column " + (c + 1);
    }

    private static float parse(String cell, String source, int lineNo, int c, List<String> names)
            throws IOException {
        if (cell.isEmpty()) {
            throw cellError(source, lineNo, c, names, cell, "an empty cell (missing values are not supported)");
        }
        float v;
        try {
            v = Float.parseFloat(cell);
        } catch (NumberFormatException e) {
            throw cellError(source, lineNo, c, names, cell, "a cell that is not a number");
        }
        if (Float.isInfinite(v) && !cell.toLowerCase(Locale.ROOT).contains("inf")) {
            throw cellError(source, lineNo, c, names, cell, "a number beyond the float range");
        }
        return v;
    }

    private static IOException cellError(String source, int lineNo, int c, List<String> names, String cell,
                                         String what) {
        return new IOException(source + " line " + lineNo + ", column " + (c + 1)
                + (names != null ? " ('" + names.get(c) + "')" : "") + ": found " + what + ": '" + cell
                + "'; expected a number");
    }

    /** Splits one line into trimmed cells, honouring double quotes. */
    private List<String> split(String line, String source, int lineNo) throws IOException {
        List<String> cells = new ArrayList<>();
        int i = 0;
        int n = line.length();
        while (true) {
            while (i < n && line.charAt(i) == ' ' && separator != ' ') {
                i++;
            }
            StringBuilder cell = new StringBuilder();
            if (i < n && line.charAt(i) == '"') {
                int start = i++;
                while (true) {
                    if (i >= n) {
                        throw new IOException(source + " line " + lineNo + ", column " + (cells.size() + 1)
                                + ": the quote opened at character " + (start + 1) + " is not closed on this line");
                    }
                    char ch = line.charAt(i++);
                    if (ch == '"') {
                        if (i < n && line.charAt(i) == '"') {
                            cell.append('"');
                            i++;
                        } else {
                            break;
                        }
                    } else {
                        cell.append(ch);
                    }
                }
                while (i < n && line.charAt(i) != separator) {
                    if (!Character.isWhitespace(line.charAt(i))) {
                        throw new IOException(source + " line " + lineNo + ", column " + (cells.size() + 1)
                                + ": unexpected '" + line.charAt(i) + "' after a closing quote; expected the "
                                + "separator '" + separator + "'");
                    }
                    i++;
                }
                cells.add(cell.toString());
            } else {
                int j = line.indexOf(separator, i);
                int end = j < 0 ? n : j;
                cells.add(line.substring(i, end).strip());
                i = end;
            }
            if (i >= n) {
                return cells;
            }
            i++; // the separator
        }
    }

    /** Configures a {@link CsvReader}. */
    public static final class Builder {
        private char separator = ',';
        private boolean header;
        private int labelIndex = -1;
        private String labelName;
        private boolean categorical;

        private Builder() {
        }

        /**
         * Sets the character between cells (comma by default).
         *
         * @param separator the cell separator, for example {@code ';'} or {@code '\t'}; not a double quote or
         *     a line break
         * @return this builder
         * @throws IllegalArgumentException when {@code separator} is a double quote or a line break
         */
        public Builder separator(char separator) {
            if (separator == '"' || separator == '\n' || separator == '\r') {
                throw new IllegalArgumentException("CsvReader: the separator cannot be a double quote or a line "
                        + "break, got " + (int) separator);
            }
            this.separator = separator;
            return this;
        }

        /**
         * Says whether the file starts with a header line of column names (none by default); without one,
         * columns are named {@code "column 1"}, {@code "column 2"}, ...
         *
         * @param header true when the first non-blank line holds column names
         * @return this builder
         */
        public Builder header(boolean header) {
            this.header = header;
            return this;
        }

        /**
         * Chooses the label column by position, replacing any choice by name; checked against the column count
         * when the file is read.
         *
         * @param index the 0-based index of the label column; negative counts from the end (-1: last)
         * @return this builder
         */
        public Builder labelColumn(int index) {
            this.labelIndex = index;
            this.labelName = null;
            return this;
        }

        /**
         * Chooses the label column by its header name (needs {@link #header(boolean) header(true)}).
         *
         * @param name the column name, as in the header after trimming and unquoting
         * @return this builder
         * @throws IllegalArgumentException when {@code name} is null or empty
         */
        public Builder labelColumn(String name) {
            if (name == null || name.isEmpty()) {
                throw new IllegalArgumentException("CsvReader: label column name must be non-empty");
            }
            this.labelName = name;
            return this;
        }

        /**
         * Says whether labels are class names to encode as indices rather than numbers to parse.
         *
         * @param categorical true when label cells are class names (any text) to be mapped to class indices in
         *     sorted order; false (the default) when they are numbers
         * @return this builder
         */
        public Builder categoricalLabels(boolean categorical) {
            this.categorical = categorical;
            return this;
        }

        /**
         * Creates a reader with the settings so far; the builder may be reused afterwards.
         *
         * @return the reader
         */
        public CsvReader build() {
            return new CsvReader(this);
        }
    }
}
