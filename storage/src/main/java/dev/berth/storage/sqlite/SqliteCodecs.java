package dev.berth.storage.sqlite;

import java.math.BigDecimal;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Types;

import io.r2dbc.spi.Parameter;

/**
 * Moves values between Java and SQLite's five storage classes: NULL, INTEGER ({@link Long}),
 * REAL ({@link Double}), TEXT ({@link String}) and BLOB ({@code byte[]}).
 *
 * <p>Bind values are encoded when they are bound, so a wrong type fails at {@code bind} rather
 * than later on a scheduler thread. Column values are decoded when a row is read.
 */
final class SqliteCodecs {
    /** A bound SQL NULL, distinct from a parameter that has not been bound. */
    static final Object NULL = new Object() {
        @Override
        public String toString() {
            return "NULL";
        }
    };

    private static final String BINDABLE = "String, Long, Integer, Short, Byte, Boolean, Double,"
            + " Float, byte[], ByteBuffer or a Parameter holding one";

    private SqliteCodecs() {
    }

    /** A bind value in its storage class: {@link Long}, {@link Double}, {@link String} or bytes. */
    static Object encode(Object value) {
        if (value instanceof Parameter parameter) {
            if (parameter instanceof Parameter.Out) {
                throw new IllegalArgumentException("parameter: OUT (expected: an IN parameter)");
            }
            return parameter.getValue() == null ? NULL : encode(parameter.getValue());
        }
        if (value instanceof String || value instanceof Long || value instanceof Double) {
            return value;
        }
        if (value instanceof Integer || value instanceof Short || value instanceof Byte) {
            return ((Number) value).longValue();
        }
        if (value instanceof Boolean flag) {
            return flag ? 1L : 0L;
        }
        if (value instanceof Float number) {
            return number.doubleValue();
        }
        if (value instanceof byte[] bytes) {
            return bytes.clone();
        }
        if (value instanceof ByteBuffer buffer) {
            // A duplicate leaves the caller's position where it was.
            byte[] bytes = new byte[buffer.remaining()];
            buffer.duplicate().get(bytes);
            return bytes;
        }
        throw new IllegalArgumentException("bind value type: " + value.getClass().getName()
                + " (expected: " + BINDABLE + ")");
    }

    /** Sets one encoded value on a JDBC statement. */
    static void bind(PreparedStatement statement, int jdbcIndex, Object encoded)
            throws SQLException {
        if (encoded == NULL) {
            statement.setNull(jdbcIndex, Types.NULL);
        } else if (encoded instanceof Long number) {
            statement.setLong(jdbcIndex, number);
        } else if (encoded instanceof Double number) {
            statement.setDouble(jdbcIndex, number);
        } else if (encoded instanceof String text) {
            statement.setString(jdbcIndex, text);
        } else {
            statement.setBytes(jdbcIndex, (byte[]) encoded);
        }
    }

    /** A column value as read from JDBC, narrowed to its storage class. */
    static Object normalize(Object value) {
        if (value instanceof Integer || value instanceof Short || value instanceof Byte) {
            return ((Number) value).longValue();
        }
        if (value instanceof Float number) {
            return number.doubleValue();
        }
        return value;
    }

    /**
     * A column value as {@code type}. SQL NULL is {@code null} for every type.
     *
     * @throws IllegalArgumentException when the value cannot be represented as {@code type}
     */
    static <T> T decode(Object value, Class<T> type, String column) {
        if (type == null) {
            throw new IllegalArgumentException("type: null (expected: a class)");
        }
        if (value == null) {
            return null;
        }
        Class<?> target = boxed(type);
        Object converted;
        try {
            converted = convert(value, target);
        } catch (ArithmeticException | NumberFormatException e) {
            throw cannotConvert(value, type, column, e);
        }
        if (converted == null) {
            throw cannotConvert(value, type, column, null);
        }
        @SuppressWarnings("unchecked")
        T result = (T) converted;
        return result;
    }

    private static Object convert(Object value, Class<?> target) {
        if (target == Object.class) {
            return value instanceof byte[] bytes ? bytes.clone() : value;
        }
        if (target == Long.class) {
            return toLong(value);
        }
        if (target == Integer.class) {
            Long number = toLong(value);
            return number == null ? null : Math.toIntExact(number);
        }
        if (target == Short.class) {
            Long number = toLong(value);
            return number == null ? null : shortExact(number);
        }
        if (target == Boolean.class) {
            return toBoolean(value);
        }
        if (target == Double.class) {
            return toDouble(value);
        }
        if (target == String.class) {
            return value instanceof byte[] bytes
                    ? new String(bytes, StandardCharsets.UTF_8)
                    : value.toString();
        }
        if (target == byte[].class) {
            return toBytes(value);
        }
        if (target == ByteBuffer.class) {
            return ByteBuffer.wrap(toBytes(value));
        }
        if (target == BigDecimal.class && !(value instanceof byte[])) {
            return new BigDecimal(value.toString());
        }
        return target.isInstance(value) ? value : null;
    }

    private static Long toLong(Object value) {
        if (value instanceof Long number) {
            return number;
        }
        if (value instanceof Double number) {
            // Only whole numbers: silently dropping a fraction would hide a schema mistake.
            return new BigDecimal(number).longValueExact();
        }
        if (value instanceof String text) {
            return Long.parseLong(text.strip());
        }
        return null;
    }

    private static Boolean toBoolean(Object value) {
        if (value instanceof Long number) {
            return number != 0;
        }
        if (value instanceof Double number) {
            return number != 0;
        }
        if (value instanceof String text) {
            if (text.equalsIgnoreCase("true") || text.equals("1")) {
                return true;
            }
            if (text.equalsIgnoreCase("false") || text.equals("0")) {
                return false;
            }
        }
        return null;
    }

    private static Double toDouble(Object value) {
        if (value instanceof Number number) {
            return number.doubleValue();
        }
        if (value instanceof String text) {
            return Double.parseDouble(text.strip());
        }
        return null;
    }

    private static byte[] toBytes(Object value) {
        if (value instanceof byte[] bytes) {
            return bytes.clone();
        }
        if (value instanceof String text) {
            return text.getBytes(StandardCharsets.UTF_8);
        }
        return null;
    }

    private static short shortExact(long number) {
        if (number < Short.MIN_VALUE || number > Short.MAX_VALUE) {
            throw new ArithmeticException("short overflow");
        }
        return (short) number;
    }

    private static Class<?> boxed(Class<?> type) {
        if (!type.isPrimitive()) {
            return type;
        }
        if (type == long.class) {
            return Long.class;
        }
        if (type == int.class) {
            return Integer.class;
        }
        if (type == short.class) {
            return Short.class;
        }
        if (type == boolean.class) {
            return Boolean.class;
        }
        if (type == double.class) {
            return Double.class;
        }
        return type;
    }

    private static IllegalArgumentException cannotConvert(Object value, Class<?> type,
            String column, Exception cause) {
        return new IllegalArgumentException("column " + column + ": "
                + value.getClass().getSimpleName() + " value (expected: convertible to "
                + type.getSimpleName() + ")", cause);
    }
}
