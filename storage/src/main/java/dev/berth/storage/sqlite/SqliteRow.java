package dev.berth.storage.sqlite;

import io.r2dbc.spi.Row;

/** One row, held in memory with values already narrowed to SQLite's storage classes. */
final class SqliteRow implements Row {
    private final SqliteRowMetadata metadata;
    private final Object[] values;

    SqliteRow(SqliteRowMetadata metadata, Object[] values) {
        this.metadata = metadata;
        this.values = values;
    }

    @Override
    public <T> T get(int index, Class<T> type) {
        int column = metadata.checkIndex(index);
        return SqliteCodecs.decode(values[column], type, metadata.getColumnMetadata(column).name());
    }

    @Override
    public <T> T get(String name, Class<T> type) {
        return get(metadata.indexOf(name), type);
    }

    @Override
    public SqliteRowMetadata getMetadata() {
        return metadata;
    }
}
