package dev.berth.storage.sqlite;

import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.NoSuchElementException;

import io.r2dbc.spi.RowMetadata;

/** The columns of one result, looked up by position or by name without regard to case. */
final class SqliteRowMetadata implements RowMetadata {
    private final List<SqliteColumnMetadata> columns;
    private final Map<String, Integer> indexByName;

    SqliteRowMetadata(List<SqliteColumnMetadata> columns) {
        this.columns = List.copyOf(columns);
        this.indexByName = new HashMap<>();
        for (int i = 0; i < columns.size(); i++) {
            // The first of two columns with the same label wins, as in JDBC's findColumn.
            indexByName.putIfAbsent(key(columns.get(i).name()), i);
        }
    }

    @Override
    public SqliteColumnMetadata getColumnMetadata(int index) {
        return columns.get(checkIndex(index));
    }

    @Override
    public SqliteColumnMetadata getColumnMetadata(String name) {
        return columns.get(indexOf(name));
    }

    @Override
    public List<SqliteColumnMetadata> getColumnMetadatas() {
        return columns;
    }

    @Override
    public boolean contains(String name) {
        return name != null && indexByName.containsKey(key(name));
    }

    int size() {
        return columns.size();
    }

    int checkIndex(int index) {
        if (index < 0 || index >= columns.size()) {
            throw new IndexOutOfBoundsException("column index: " + index
                    + " (expected: 0.." + (columns.size() - 1) + ")");
        }
        return index;
    }

    int indexOf(String name) {
        if (name == null) {
            throw new IllegalArgumentException("column name: null (expected: a name)");
        }
        Integer index = indexByName.get(key(name));
        if (index == null) {
            throw new NoSuchElementException("column: " + name
                    + " (expected one of: " + names() + ")");
        }
        return index;
    }

    private String names() {
        return String.join(", ", columns.stream().map(SqliteColumnMetadata::name).toList());
    }

    private static String key(String name) {
        return name.toLowerCase(Locale.ROOT);
    }

    @Override
    public String toString() {
        return "SqliteRowMetadata" + columns;
    }
}
