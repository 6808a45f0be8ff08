package dev.autodoc.local.stack;

import java.io.IOException;
import java.io.Reader;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Properties;

/**
 * The files in a data directory that record what runs there and how to reach it. They may hold
 * secrets (keys, passwords), so they are readable by their owner only, and written whole or not at
 * all (a temporary file moved into place), so a reader never sees half of one.
 */
public final class StateFiles {
  private StateFiles() {}

  public static Properties read(Path file) {
    var props = new Properties();
    try (Reader r = Files.newBufferedReader(file)) {
      props.load(r);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return props;
  }

  public static void write(Path file, Properties state, String comment) {
    try (Writer w = ownerOnlyWriter(file.resolveSibling(file.getFileName() + ".tmp"))) {
      state.store(w, comment);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    try {
      Files.move(
          file.resolveSibling(file.getFileName() + ".tmp"),
          file,
          StandardCopyOption.REPLACE_EXISTING,
          StandardCopyOption.ATOMIC_MOVE);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** A new file only its owner can read, created so before anything is written into it. */
  public static Writer ownerOnlyWriter(Path file) throws IOException {
    Files.createDirectories(file.getParent());
    Files.deleteIfExists(file);
    Files.createFile(
        file, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
    return Files.newBufferedWriter(file);
  }
}
