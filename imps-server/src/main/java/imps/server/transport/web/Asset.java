package imps.server.transport.web;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Locale;
import java.util.Map;
import java.util.zip.GZIPOutputStream;

/**
 * One file the web port serves, held in memory: its bytes, a gzip copy when that is worth it, its
 * media type and a strong ETag (a hash of the bytes).
 *
 * @param gzipped the gzip-compressed bytes, or {@code null} when compression does not pay
 */
record Asset(String contentType, byte[] bytes, byte[] gzipped, String etag) {
  private static final int MIN_GZIP_BYTES = 512;

  private static final Map<String, String> TYPES =
      Map.ofEntries(
          Map.entry("html", "text/html; charset=utf-8"),
          Map.entry("js", "text/javascript; charset=utf-8"),
          Map.entry("mjs", "text/javascript; charset=utf-8"),
          Map.entry("css", "text/css; charset=utf-8"),
          Map.entry("json", "application/json"),
          Map.entry("webmanifest", "application/manifest+json"),
          Map.entry("svg", "image/svg+xml"),
          Map.entry("png", "image/png"),
          Map.entry("ico", "image/x-icon"),
          Map.entry("woff2", "font/woff2"),
          Map.entry("txt", "text/plain; charset=utf-8"),
          Map.entry("md", "text/plain; charset=utf-8"));

  /** An asset for the file at {@code path}, typed by its extension (plain text without one). */
  static Asset of(String path, byte[] bytes) {
    return typed(typeOf(path), bytes);
  }

  static Asset typed(String contentType, byte[] bytes) {
    byte[] gz = null;
    if (compressible(contentType) && bytes.length >= MIN_GZIP_BYTES) {
      byte[] candidate = gzip(bytes);
      if (candidate.length < bytes.length * 9 / 10) {
        gz = candidate;
      }
    }
    return new Asset(contentType, bytes, gz, "\"" + sha256(bytes).substring(0, 20) + "\"");
  }

  /** The ETag of the gzip representation, which differs from the identity one. */
  String gzipEtag() {
    return etag.substring(0, etag.length() - 1) + "-gz\"";
  }

  static String typeOf(String path) {
    String name = path.substring(path.lastIndexOf('/') + 1);
    int dot = name.lastIndexOf('.');
    String ext = dot < 0 ? "txt" : name.substring(dot + 1).toLowerCase(Locale.ROOT);
    return TYPES.getOrDefault(ext, "application/octet-stream");
  }

  private static boolean compressible(String type) {
    return type.startsWith("text/")
        || type.startsWith("application/json")
        || type.startsWith("application/manifest")
        || type.startsWith("image/svg");
  }

  static String sha256(byte[] bytes) {
    try {
      return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  static String sha256(String text) {
    return sha256(text.getBytes(StandardCharsets.UTF_8));
  }

  private static byte[] gzip(byte[] bytes) {
    ByteArrayOutputStream out = new ByteArrayOutputStream(bytes.length / 3);
    try (GZIPOutputStream gz = new GZIPOutputStream(out)) {
      gz.write(bytes);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return out.toByteArray();
  }
}
