package dev.berth.storage;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.concurrent.atomic.AtomicBoolean;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * An exclusive operating-system lock on {@code berth.lock} in the data directory, held by the
 * process that opened the storage first. Only its holder runs start-up recovery, which must not
 * run beside a server that is serving; {@code berth token} or {@code berth gc} started while the
 * server runs find the lock taken and skip it.
 */
final class DataDirectoryLock implements AutoCloseable {
    static final String FILE = "berth.lock";

    private static final Logger LOG = LoggerFactory.getLogger(DataDirectoryLock.class);

    private final FileChannel channel;
    private final FileLock lock;
    private final AtomicBoolean released = new AtomicBoolean();

    private DataDirectoryLock(FileChannel channel, FileLock lock) {
        this.channel = channel;
        this.lock = lock;
    }

    /** The lock, or null when another process (or another storage in this one) holds it. */
    static DataDirectoryLock tryAcquire(Path dataDirectory) throws IOException {
        FileChannel channel = FileChannel.open(dataDirectory.resolve(FILE),
                StandardOpenOption.CREATE, StandardOpenOption.WRITE);
        try {
            FileLock lock = channel.tryLock();
            if (lock != null) {
                return new DataDirectoryLock(channel, lock);
            }
        } catch (OverlappingFileLockException e) {
            // Held by another storage opened in this JVM: the same answer as another process.
        } catch (IOException | RuntimeException e) {
            channel.close();
            throw e;
        }
        channel.close();
        return null;
    }

    /** Releases the lock, once; the file stays, empty, for the next process. */
    @Override
    public void close() {
        if (!released.compareAndSet(false, true)) {
            return;
        }
        try {
            lock.release();
            channel.close();
        } catch (IOException e) {
            LOG.warn("data directory lock not released cleanly error={}", e.toString());
        }
    }
}
