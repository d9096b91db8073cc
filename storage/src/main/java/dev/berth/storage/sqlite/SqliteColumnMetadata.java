package dev.berth.storage.sqlite;

import io.r2dbc.spi.ColumnMetadata;
import io.r2dbc.spi.Nullability;
import io.r2dbc.spi.Type;

/**
 * One result column: its label, its affinity and the type it was declared with.
 *
 * @param name the column label as the query spelt it
 * @param type the affinity of the declared type
 * @param declaredType the declared type, or the value's storage class for an expression
 * @param nullability whether the column allows NULL, as far as SQLite knows
 */
record SqliteColumnMetadata(String name, SqliteType type, String declaredType,
        Nullability nullability) implements ColumnMetadata {

    @Override
    public String getName() {
        return name;
    }

    @Override
    public Type getType() {
        return type;
    }

    @Override
    public Class<?> getJavaType() {
        return type.getJavaType();
    }

    @Override
    public Object getNativeTypeMetadata() {
        return declaredType;
    }

    @Override
    public Nullability getNullability() {
        return nullability;
    }
}
