package imps.server.transport.web;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.URL;
import java.nio.file.FileSystem;
import java.nio.file.FileSystemAlreadyExistsException;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Enumeration;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;

/**
 * Reads every file under a classpath folder, whether the folder lies in a directory (a build's
 * {@code target/classes}) or in a jar, and from every classpath entry that has it (so test
 * resources add to the main ones). Files are read once, at start-up.
 */
final class ClasspathTree {
  private ClasspathTree() {}

  /**
   * Path relative to {@code root} (with {@code /}) → content, sorted by path. The first classpath
   * entry that has a path wins.
   */
  static Map<String, byte[]> read(ClassLoader loader, String root) {
    Map<String, byte[]> files = new TreeMap<>();
    try {
      Enumeration<URL> roots = loader.getResources(root);
      while (roots.hasMoreElements()) {
        readRoot(roots.nextElement(), files);
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read " + root + " from the classpath", e);
    }
    return files;
  }

  /**
   * Every file in the folder that holds the classpath resource {@code file}, for jars that have no
   * entries for their folders (so that {@link ClassLoader#getResources} cannot find the folder).
   */
  static Map<String, byte[]> readFolderOf(ClassLoader loader, String file) {
    URL url = loader.getResource(file);
    if (url == null) {
      throw new IllegalStateException(file + " is missing from the classpath");
    }
    String spec = url.toString();
    Map<String, byte[]> files = new TreeMap<>();
    try {
      readRoot(new URL(spec.substring(0, spec.lastIndexOf('/'))), files);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read the folder of " + file, e);
    }
    return files;
  }

  private static void readRoot(URL url, Map<String, byte[]> files) throws IOException {
    URI uri;
    try {
      uri = url.toURI();
    } catch (URISyntaxException e) {
      throw new IOException("bad classpath URL " + url, e);
    }
    if ("file".equals(uri.getScheme())) {
      walk(Path.of(uri), files);
      return;
    }
    if (!"jar".equals(uri.getScheme())) {
      throw new IOException("cannot list classpath URL " + url);
    }
    String spec = uri.toString();
    int sep = spec.indexOf("!/");
    URI jar = URI.create(spec.substring(0, sep));
    String inside = spec.substring(sep + 1);
    FileSystem fs;
    boolean opened;
    try {
      fs = FileSystems.newFileSystem(jar, Map.of());
      opened = true;
    } catch (FileSystemAlreadyExistsException e) {
      fs = FileSystems.getFileSystem(jar);
      opened = false;
    }
    try {
      walk(fs.getPath(inside), files);
    } finally {
      if (opened) {
        fs.close();
      }
    }
  }

  private static void walk(Path dir, Map<String, byte[]> files) throws IOException {
    try (Stream<Path> paths = Files.walk(dir)) {
      for (Path p : (Iterable<Path>) paths.filter(Files::isRegularFile)::iterator) {
        String rel = dir.relativize(p).toString().replace('\\', '/');
        if (!files.containsKey(rel)) {
          files.put(rel, Files.readAllBytes(p));
        }
      }
    }
  }
}
