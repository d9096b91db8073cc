package dev.berth.storage.sqlite;

import java.util.Locale;

import io.r2dbc.spi.Type;

/**
 * A column's type, as SQLite's type affinity reads its declared type. A column without a
 * declared type (an expression) reports the storage class of its first value, as sqlite-jdbc
 * gives it.
 */
enum SqliteType implements Type {
    INTEGER(Long.class),
    REAL(Double.class),
    TEXT(String.class),
    BLOB(byte[].class),
    /** Numeric affinity: the value comes back as whatever storage class SQLite chose. */
    NUMERIC(Object.class);

    private final Class<?> javaType;

    SqliteType(Class<?> javaType) {
        this.javaType = javaType;
    }

    /** The affinity rules of SQLite's "Datatypes" page, section 3.1, in their order. */
    static SqliteType ofDeclared(String declared) {
        String type = declared == null ? "" : declared.toUpperCase(Locale.ROOT);
        if (type.contains("INT")) {
            return INTEGER;
        }
        if (type.contains("CHAR") || type.contains("CLOB") || type.contains("TEXT")) {
            return TEXT;
        }
        if (type.isEmpty() || type.contains("BLOB")) {
            return BLOB;
        }
        if (type.contains("REAL") || type.contains("FLOA") || type.contains("DOUB")) {
            return REAL;
        }
        return NUMERIC;
    }

    @Override
    public Class<?> getJavaType() {
        return javaType;
    }

    @Override
    public String getName() {
        return name();
    }
}
