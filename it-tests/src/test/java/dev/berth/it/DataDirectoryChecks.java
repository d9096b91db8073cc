package dev.berth.it;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.DigestInputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;

import org.sqlite.SQLiteConfig;

/**
 * Looks into a data directory no server is using, as an operator would after a crash:
 *
 * <pre>
 * data/
 *   berth.db                  SQLite, opened read-only here
 *   blobs/sha256/ab/abcd...   one file per blob, named by the SHA-256 of its bytes
 *   uploads/&lt;id&gt;             one file per open upload session
 * </pre>
 */
final class DataDirectoryChecks {
    private DataDirectoryChecks() {
    }

    /**
     * Every blob file whose bytes do not hash to its name, as {@code path (actual: sha256:...)};
     * the proof that no half-written blob was ever put in place.
     */
    static List<String> blobFilesNotMatchingTheirNames(Path data) {
        List<String> wrong = new ArrayList<>();
        for (Path file : blobFiles(data)) {
            String actual = sha256(file);
            if (!actual.equals("sha256:" + file.getFileName())) {
                wrong.add(file + " (actual: " + actual + ")");
            }
        }
        return wrong;
    }

    /** Where the bytes of blob {@code digest} ({@code sha256:<hex>}) are stored. */
    static Path blobFile(Path data, String digest) {
        String hex = digest.substring("sha256:".length());
        return data.resolve("blobs").resolve("sha256").resolve(hex.substring(0, 2)).resolve(hex);
    }

    /** The files under {@code data/blobs/sha256}. */
    static List<Path> blobFiles(Path data) {
        return regularFiles(data.resolve("blobs").resolve("sha256"));
    }

    /** The files under {@code data/uploads}. */
    static List<Path> uploadFiles(Path data) {
        return regularFiles(data.resolve("uploads"));
    }

    /** Every {@code *.tmp} file anywhere in the data directory. */
    static List<Path> tempFiles(Path data) {
        return regularFiles(data).stream()
                .filter(path -> path.getFileName().toString().endsWith(".tmp"))
                .toList();
    }

    /** What {@code PRAGMA integrity_check} answers, one line per row: {@code ok} when sound. */
    static String integrityCheck(Path data) {
        return String.join("\n", query(data, "PRAGMA integrity_check"));
    }

    /**
     * Where the database and the files disagree: blob rows without a file, blob files without a
     * row, upload rows without a file and upload files without a row.
     */
    static List<String> disagreements(Path data) {
        Set<String> blobRows = new HashSet<>(query(data, "SELECT digest FROM blobs"));
        Set<String> blobFiles = new HashSet<>();
        blobFiles(data).forEach(file -> blobFiles.add("sha256:" + file.getFileName()));
        Set<String> uploadRows = new HashSet<>(query(data, "SELECT id FROM uploads"));
        Set<String> uploadFiles = new HashSet<>();
        uploadFiles(data).forEach(file -> uploadFiles.add(file.getFileName().toString()));
        List<String> found = new ArrayList<>();
        minus(blobRows, blobFiles).forEach(digest -> found.add("blob row without file " + digest));
        minus(blobFiles, blobRows).forEach(digest -> found.add("blob file without row " + digest));
        minus(uploadRows, uploadFiles).forEach(id -> found.add("upload row without file " + id));
        minus(uploadFiles, uploadRows).forEach(id -> found.add("upload file without row " + id));
        return found;
    }

    private static List<String> minus(Set<String> all, Set<String> removed) {
        return all.stream().filter(value -> !removed.contains(value)).sorted().toList();
    }

    /** The first column of every row {@code sql} returns, from {@code berth.db} read-only. */
    private static List<String> query(Path data, String sql) {
        SQLiteConfig config = new SQLiteConfig();
        config.setReadOnly(true);
        String url = "jdbc:sqlite:" + data.resolve("berth.db").toAbsolutePath();
        try (Connection connection = DriverManager.getConnection(url, config.toProperties());
                Statement statement = connection.createStatement();
                ResultSet rows = statement.executeQuery(sql)) {
            List<String> values = new ArrayList<>();
            while (rows.next()) {
                values.add(rows.getString(1));
            }
            return values;
        } catch (SQLException e) {
            throw new AssertionError("cannot run " + sql + " on " + url, e);
        }
    }

    private static List<Path> regularFiles(Path root) {
        if (!Files.isDirectory(root)) {
            return List.of();
        }
        try (Stream<Path> walk = Files.walk(root)) {
            return walk.filter(Files::isRegularFile).sorted().toList();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot list " + root, e);
        }
    }

    private static String sha256(Path file) {
        try {
            MessageDigest sha256 = MessageDigest.getInstance("SHA-256");
            try (InputStream in = new DigestInputStream(Files.newInputStream(file), sha256)) {
                in.transferTo(OutputStream.nullOutputStream());
            }
            return "sha256:" + HexFormat.of().formatHex(sha256.digest());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + file, e);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
