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
        Cells in = new Cells(reader instanceof BufferedReader br ? br : new BufferedReader(reader, 1 << 16), source);
        List<String> names = null;
        int columns = -1;
        int firstLine = -1;
        int label = -1;
        float[] feats = new float[1024];
        int fill = 0;
        float[] numericLabels = new float[256];
        List<String> textLabels = new ArrayList<>();
        int rows = 0;
        // Rows are read cell by cell: only the first row (whose width decides the label column) is held as text, so
        // memory grows with the numbers kept, 4 bytes a cell, not with the length of a line.
        while (in.nextRow()) {
            if (columns < 0 && header) {
                names = new ArrayList<>();
                while (in.nextCell()) {
                    names.add(in.cell());
                }
                columns = names.size();
                firstLine = in.line();
                checkWidth(columns, source, firstLine);
                label = resolveLabel(names, columns, source, firstLine);
                continue;
            }
            if (columns < 0) {
                // The first row fixes the width, and with it a label counted from the end; until it ends, its cells
                // are parsed as numbers and only the text of the cells that may be the label is kept.
                FirstRow first = readFirstRow(in);
                columns = first.count;
                firstLine = in.line();
                checkWidth(columns, source, firstLine);
                label = resolveLabel(null, columns, source, firstLine);
                IOException bad = firstRowError(first, label);
                if (bad != null) {
                    throw bad;
                }
                feats = grow(feats, fill + columns - 1);
                for (int c = 0; c < columns; c++) {
                    if (c != label) {
                        feats[fill++] = first.values[c];
                    } else if (categorical) {
                        addLabel(first.labelText(label), rows, numericLabels, textLabels, c, null, firstLine, source);
                    } else {
                        numericLabels[rows] = first.values[c];
                    }
                }
                rows++;
                continue;
            }
            feats = grow(feats, fill + columns - 1);
            if (rows == numericLabels.length && !categorical) {
                numericLabels = Arrays.copyOf(numericLabels, 2 * rows);
            }
            int c = 0;
            for (; in.nextCell(); c++) {
                if (c >= columns) {
                    throw raggedRow(source, in.line(), columns, firstLine, "more than " + columns);
                }
                if (c == label) {
                    addLabel(in.cell(), rows, numericLabels, textLabels, c, names, in.line(), source);
                } else {
                    feats[fill++] = parse(in.cell(), source, in.line(), c, names);
                }
            }
            if (c != columns) {
                throw raggedRow(source, in.line(), columns, firstLine, Integer.toString(c));
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
        List<String> featureNames = new ColumnNames(names, label, f);        List<String> classNames = List.of();
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

    private static void checkWidth(int columns, String source, int line) throws IOException {
        if (columns < 2) {
            throw new IOException(source + " line " + line + ": found " + columns + " column; expected at least 2 "
                    + "(features and a label)");
        }
    }

    /** The first data row of a file without a header, as numbers, with the text of the cells that may be the label. */
    private static final class FirstRow {
        float[] values = new float[64];
        int count;
        final int[] failedAt = {-1, -1};
        final IOException[] failures = new IOException[2];
        /** The last cells' text (a label counted from the end) or the one cell a label index names. */
        final String[] texts;
        final int fixedIndex;

        FirstRow(int labelIndex) {
            fixedIndex = labelIndex;
            texts = new String[labelIndex < 0 ? -labelIndex : 1];
        }

        void keepText(int c, String text) {
            if (fixedIndex >= 0) {
                if (c == fixedIndex) {
                    texts[0] = text;
                }
            } else {
                texts[c % texts.length] = text;
            }
        }

        String labelText(int label) {
            return fixedIndex >= 0 ? texts[0] : texts[label % texts.length];
        }
    }

    private FirstRow readFirstRow(Cells in) throws IOException {
        FirstRow row = new FirstRow(labelName != null ? 0 : labelIndex);
        while (in.nextCell()) {
            int c = row.count++;
            row.values = grow(row.values, row.count);
            String text = in.cell();
            if (categorical) {
                row.keepText(c, text);
            }
            try {
                row.values[c] = parse(text, in.source, in.line(), c, null);
            } catch (IOException e) {
                // A cell that is not a number is an error unless it turns out to be a categorical label; the first
                // two are kept, since at most one of them can be the label.
                for (int k = 0; k < 2; k++) {
                    if (row.failures[k] == null) {
                        row.failedAt[k] = c;
                        row.failures[k] = e;
                        break;
                    }
                }
            }
        }
        return row;
    }

    /** @return the first kept failure of the first row that is not excused as the categorical label, or null */
    private IOException firstRowError(FirstRow row, int label) {
        for (int k = 0; k < 2; k++) {
            if (row.failures[k] != null && !(categorical && row.failedAt[k] == label)) {
                return row.failures[k];
            }
        }
        return null;
    }

    /**
     * The feature columns' names, computed on demand rather than stored: a file of millions of unnamed columns would
     * otherwise hold a String for each ("column 1", "column 2", ...), many times the size of its numbers. Immutable.
     */
    static final class ColumnNames extends java.util.AbstractList<String> {
        private final List<String> header;
        private final int label, size;

        ColumnNames(List<String> header, int label, int size) {
            this.header = header == null ? null : List.copyOf(header);
            this.label = label;
            this.size = size;
        }

        @Override
        public String get(int i) {
            java.util.Objects.checkIndex(i, size);
            return columnName(header, i < label ? i : i + 1);
        }

        @Override
        public int size() {
            return size;
        }
    }

    private static float[] grow(float[] a, int needed) {
        return needed <= a.length ? a : Arrays.copyOf(a, Math.max(needed, (int) Math.min(Integer.MAX_VALUE - 8, 2L * a.length)));
    }

    private void addLabel(String cell, int row, float[] numeric, List<String> text, int c, List<String> names, int line,
                          String source) throws IOException {
        if (categorical) {
            if (cell.isEmpty()) {
                throw cellError(source, line, c, names, cell, "an empty label cell");
            }
            text.add(cell);
        } else {
            numeric[row] = parse(cell, source, line, c, names);
        }
    }

    private static IOException raggedRow(String source, int line, int columns, int firstLine, String found) {
        return new IOException(source + " line " + line + ": found " + found + " cells, expected " + columns
                + " as on line " + firstLine + " (ragged rows are not allowed)");
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

    /**
     * The cells of the text one at a time: {@link #nextRow()} skips blank lines and moves to the next row,
     * {@link #nextCell()} reads the row's next cell (trimmed; double quotes honoured, a doubled quote standing for
     * one) into a buffer reused for every cell. Lines end with \n, \r\n or \r; a leading byte-order mark is skipped.
     */
    private final class Cells {
        private final BufferedReader in;
        final String source;
        private final StringBuilder cell = new StringBuilder();
        private int line;
        private int ahead = -2;          // the next character, -1 at the end, -2 when none was read yet
        private boolean rowOpen;         // inside a row, before its line end
        private boolean cellsLeft;       // the row has another cell (a separator was just consumed, or it just began)
        private int cells;               // cells of the row read so far
        private long position;           // characters of the line consumed so far

        Cells(BufferedReader in, String source) {
            this.in = in;
            this.source = source;
        }

        int line() {
            return line;
        }

        String cell() {
            return cell.toString();
        }

        private int peek() throws IOException {
            if (ahead == -2) {
                ahead = in.read();
                if (line == 0 && ahead == '\uFEFF') {
                    ahead = in.read();
                }
            }
            return ahead;
        }

        private int take() throws IOException {
            int c = peek();
            ahead = in.read();
            position++;
            return c;
        }

        /** Consumes one line end (\n, \r\n or \r) if one is next. */
        private boolean lineEnd() throws IOException {
            int c = peek();
            if (c == '\n') {
                take();
                return true;
            }
            if (c == '\r') {
                take();
                if (peek() == '\n') {
                    take();
                }
                return true;
            }
            return false;
        }

        /** @return false at the end of the text; otherwise the next non-blank row is ready for {@link #nextCell} */
        boolean nextRow() throws IOException {
            while (rowOpen) {                       // skip what the caller left of the previous row
                nextCell();
            }
            while (true) {
                if (peek() < 0) {
                    return false;
                }
                line++;
                position = 0;
                cells = 0;
                // A line of only blanks is skipped, as before: look past spaces and tabs for its end.
                while (peek() == ' ' || peek() == '\t') {
                    if (separator == peek()) {
                        break;
                    }
                    take();
                }
                if (peek() < 0) {
                    return false;
                }
                if (!lineEnd()) {
                    rowOpen = true;
                    cellsLeft = true;
                    return true;
                }
            }
        }

        /** @return true with the next cell of the row in the buffer, false at the row's end */
        boolean nextCell() throws IOException {
            if (!rowOpen || !cellsLeft) {
                rowOpen = false;
                return false;
            }
            cell.setLength(0);
            while (peek() == ' ' && separator != ' ') {
                take();
            }
            cells++;
            if (peek() == '"') {
                long opened = position + 1;
                take();
                while (true) {
                    int ch = peek();
                    if (ch < 0 || ch == '\n' || ch == '\r') {
                        throw new IOException(source + " line " + line + ", column " + cells + ": the quote opened at"
                                + " character " + opened + " is not closed on this line");
                    }
                    take();
                    if (ch == '"') {
                        if (peek() == '"') {
                            cell.append('"');
                            take();
                        } else {
                            break;
                        }
                    } else {
                        cell.append((char) ch);
                    }
                }
                while (peek() >= 0 && peek() != separator && peek() != '\n' && peek() != '\r') {
                    if (!Character.isWhitespace(peek())) {
                        throw new IOException(source + " line " + line + ", column " + cells + ": unexpected '"
                                + (char) peek() + "' after a closing quote; expected the separator '" + separator + "'");
                    }
                    take();
                }
            } else {
                while (peek() >= 0 && peek() != separator && peek() != '\n' && peek() != '\r') {
                    cell.append((char) take());
                }
                int end = cell.length();
                while (end > 0 && Character.isWhitespace(cell.charAt(end - 1))) {
                    end--;
                }
                cell.setLength(end);
            }
            if (peek() == separator) {
                take();
                cellsLeft = true;
            } else {
                lineEnd();
                cellsLeft = false;
            }
            return true;
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
