package dev.freshet.cli.replay;

import com.fasterxml.jackson.databind.MappingIterator;
import com.fasterxml.jackson.dataformat.csv.CsvMapper;
import com.fasterxml.jackson.dataformat.csv.CsvParser;
import java.io.Closeable;
import java.io.IOException;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** A CSV file with a header row, read one row at a time; cells are looked up by column name. */
final class CsvTable implements Closeable {

    private static final CsvMapper CSV =
            CsvMapper.builder().enable(CsvParser.Feature.WRAP_AS_ARRAY).build();

    private final Path file;
    private final MappingIterator<String[]> rows;
    private final List<String> columns;
    private final Map<String, Integer> index = new HashMap<>();
    private long line = 1;

    private CsvTable(Path file, MappingIterator<String[]> rows, String[] header) {
        this.file = file;
        this.rows = rows;
        this.columns = List.of(header);
        for (int i = 0; i < header.length; i++) {
            index.put(header[i], i);
        }
    }

    static CsvTable open(Path file) throws IOException {
        MappingIterator<String[]> rows = CSV.readerFor(String[].class).readValues(file.toFile());
        if (!rows.hasNextValue()) {
            rows.close();
            throw new IOException(file + ": empty, expected a header row");
        }
        return new CsvTable(file, rows, rows.nextValue());
    }

    List<String> columns() {
        return columns;
    }

    boolean has(String column) {
        return index.containsKey(column);
    }

    /** The next row, or null at the end; a row with the wrong number of cells is an error. */
    String[] next() throws IOException {
        if (!rows.hasNextValue()) {
            return null;
        }
        String[] row = rows.nextValue();
        line++;
        if (row.length != columns.size()) {
            throw new IOException(
                    where() + ": expected " + columns.size() + " cells, got " + row.length);
        }
        return row;
    }

    String get(String[] row, String column) throws IOException {
        Integer i = index.get(column);
        if (i == null) {
            throw new IOException(file + ": no column '" + column + "'");
        }
        return row[i];
    }

    /** File and line of the row last returned, for error messages. */
    String where() {
        return file + ":" + line;
    }

    @Override
    public void close() throws IOException {
        rows.close();
    }
}
