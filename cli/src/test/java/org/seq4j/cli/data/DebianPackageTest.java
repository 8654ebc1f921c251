package org.seq4j.cli.data;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DebianPackageTest {

  @Test
  void aMissingToolIsAClearError(@TempDir Path dir) {
    DebianPackage debian = new DebianPackage("seq4j-no-such-apt-get", "dpkg-deb");
    IOException ex = assertThrows(IOException.class, () -> debian.fetch("fortunes", dir));
    assertTrue(
        ex.getMessage().startsWith("seq4j-no-such-apt-get is not available"), ex.getMessage());
    assertTrue(ex.getMessage().contains("apt-get and dpkg-deb"), ex.getMessage());
  }

  @Test
  void aFailedDownloadNamesTheErrorAndTheFix(@TempDir Path dir) throws IOException {
    Path fakeAptGet = dir.resolve("apt-get");
    Files.writeString(
        fakeAptGet,
        "#!/bin/sh\n"
            + "echo 'Reading package lists...'\n"
            + "echo 'E: Unable to locate package fortunes' >&2\n"
            + "exit 100\n");
    Files.setPosixFilePermissions(fakeAptGet, PosixFilePermissions.fromString("rwx------"));
    DebianPackage debian = new DebianPackage(fakeAptGet.toString(), "dpkg-deb");
    IOException ex =
        assertThrows(IOException.class, () -> debian.fetch("fortunes", dir.resolve("work")));
    String message = ex.getMessage();
    assertTrue(message.contains("download fortunes failed (exit code 100)"), message);
    assertTrue(message.contains("E: Unable to locate package fortunes"), message);
    assertTrue(message.contains("run `apt-get update` as root once"), message);
  }

  @Test
  void theTellingLineIsTheLastError() {
    assertEquals("E: b", DebianPackage.lastMessage("x\nE: a\nW: y\nE: b\nz\n"));
    assertEquals("z", DebianPackage.lastMessage("x\n\nz\n  \n"));
    assertEquals("no output", DebianPackage.lastMessage(""));
  }
}
