package imps.bench;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.OptionalLong;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Linux process figures from /proc: CPU time (utime + stime of /proc/PID/stat), RSS (VmRSS of
 * /proc/PID/status), and which process listens on a TCP port (/proc/net/tcp{,6} then the socket
 * inodes under /proc/PID/fd). Everything degrades to "unknown" off Linux.
 */
public final class ProcStats {
  /** Clock ticks per second of /proc/PID/stat times; 100 on every mainstream Linux. */
  static final long CLK_TCK = 100;

  private ProcStats() {}

  public static long selfPid() {
    return ProcessHandle.current().pid();
  }

  /** CPU time (user + system) of a process in nanoseconds, or -1 when unknown. */
  public static long cpuNanos(long pid) {
    try {
      String stat = Files.readString(Path.of("/proc", Long.toString(pid), "stat"));
      // Fields after the command name, which is in parentheses and may contain spaces.
      String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
      long ticks = Long.parseLong(f[11]) + Long.parseLong(f[12]); // utime, stime (fields 14, 15)
      return ticks * (1_000_000_000L / CLK_TCK);
    } catch (IOException | RuntimeException e) {
      return -1;
    }
  }

  /** Resident set size in bytes, or -1 when unknown. */
  public static long rssBytes(long pid) {
    return statusKib(pid, "VmRSS:") * 1024;
  }

  /** Threads of a process, or -1. */
  public static long threads(long pid) {
    try {
      for (String line : Files.readAllLines(Path.of("/proc", Long.toString(pid), "status"))) {
        if (line.startsWith("Threads:")) {
          return Long.parseLong(line.substring(8).trim());
        }
      }
    } catch (IOException | RuntimeException e) {
      // unknown
    }
    return -1;
  }

  private static long statusKib(long pid, String key) {
    try {
      for (String line : Files.readAllLines(Path.of("/proc", Long.toString(pid), "status"))) {
        if (line.startsWith(key)) {
          return Long.parseLong(line.substring(key.length()).replace("kB", "").trim());
        }
      }
    } catch (IOException | RuntimeException e) {
      // unknown
    }
    return -1;
  }

  /** The soft limit on open files of a process ("Max open files"), or -1. */
  public static long maxOpenFiles(long pid) {
    try {
      for (String line : Files.readAllLines(Path.of("/proc", Long.toString(pid), "limits"))) {
        if (line.startsWith("Max open files")) {
          String[] f = line.substring("Max open files".length()).trim().split("\\s+");
          return "unlimited".equals(f[0]) ? Long.MAX_VALUE : Long.parseLong(f[0]);
        }
      }
    } catch (IOException | RuntimeException e) {
      // unknown
    }
    return -1;
  }

  /** Open file descriptors of a process, or -1. */
  public static long openFiles(long pid) {
    try (var s = Files.list(Path.of("/proc", Long.toString(pid), "fd"))) {
      return s.count();
    } catch (IOException | RuntimeException e) {
      return -1;
    }
  }

  /** The local port range for outgoing connections (net.ipv4.ip_local_port_range), or null. */
  public static int[] localPortRange() {
    try {
      String[] f =
          // Files.readString misreads this proc file (it trusts the reported size); read lines.
          Files.readAllLines(Path.of("/proc/sys/net/ipv4/ip_local_port_range"))
              .get(0)
              .trim()
              .split("\\s+");
      return new int[] {Integer.parseInt(f[0]), Integer.parseInt(f[1])};
    } catch (IOException | RuntimeException e) {
      return null;
    }
  }

  /** The pid of the process listening on TCP {@code port}, if it can be found. */
  public static OptionalLong pidListeningOn(int port) {
    long inode = -1;
    for (String table : List.of("/proc/net/tcp", "/proc/net/tcp6")) {
      inode = listeningInode(Path.of(table), port);
      if (inode > 0) {
        break;
      }
    }
    if (inode <= 0) {
      return OptionalLong.empty();
    }
    String target = "socket:[" + inode + "]";
    int scanned = 0;
    try (DirectoryStream<Path> procs = Files.newDirectoryStream(Path.of("/proc"), "[0-9]*")) {
      for (Path proc : procs) {
        if (++scanned > 100_000) {
          break;
        }
        try (DirectoryStream<Path> fds = Files.newDirectoryStream(proc.resolve("fd"))) {
          int n = 0;
          for (Path fd : fds) {
            if (++n > 2_000_000) {
              break;
            }
            try {
              if (target.equals(Files.readSymbolicLink(fd).toString())) {
                return OptionalLong.of(Long.parseLong(proc.getFileName().toString()));
              }
            } catch (IOException e) {
              // fd closed meanwhile
            }
          }
        } catch (IOException | RuntimeException e) {
          // not ours to read, or gone
        }
      }
    } catch (IOException e) {
      return OptionalLong.empty();
    }
    return OptionalLong.empty();
  }

  /** The inode of the socket listening on {@code port} in one /proc/net table, or -1. */
  static long listeningInode(Path table, int port) {
    try {
      return listeningInode(Files.readAllLines(table), port);
    } catch (IOException e) {
      return -1;
    }
  }

  static long listeningInode(List<String> lines, int port) {
    String hexPort = String.format(Locale.ROOT, ":%04X", port);
    for (String line : lines) {
      String[] f = line.trim().split("\\s+");
      // sl local_address rem_address st tx:rx tr:when retrnsmt uid timeout inode
      if (f.length > 9 && f[1].endsWith(hexPort) && "0A".equals(f[3])) {
        try {
          return Long.parseLong(f[9]);
        } catch (NumberFormatException e) {
          return -1;
        }
      }
    }
    return -1;
  }

  private static final Pattern HEAP_USED =
      Pattern.compile("total (\\d+)K, used (\\d+)K", Pattern.CASE_INSENSITIVE);

  /**
   * Heap in use of a JVM, in bytes, from {@code jcmd PID GC.heap_info} (first "used" figure: the
   * whole heap for G1), or -1 when jcmd is not there or does not answer within 10 s.
   */
  public static long heapUsedBytes(long pid) {
    String out = jcmd(pid, "GC.heap_info");
    Matcher m = HEAP_USED.matcher(out == null ? "" : out);
    return m.find() ? Long.parseLong(m.group(2)) * 1024 : -1;
  }

  /**
   * The live heap of a JVM, in bytes: a full collection ({@code jcmd PID GC.run}), then {@link
   * #heapUsedBytes}. The collection pauses that JVM, so call it only between measured phases.
   */
  public static long liveHeapBytes(long pid) {
    return jcmd(pid, "GC.run") == null ? -1 : heapUsedBytes(pid);
  }

  /** Output of {@code jcmd PID COMMAND}, or null when jcmd is missing, fails or hangs (10 s). */
  private static String jcmd(long pid, String command) {
    Path jcmd = Path.of(System.getProperty("java.home"), "bin", "jcmd");
    if (!Files.isExecutable(jcmd)) {
      return null;
    }
    try {
      Process p =
          new ProcessBuilder(jcmd.toString(), Long.toString(pid), command)
              .redirectErrorStream(true)
              .start();
      p.getOutputStream().close();
      byte[] out = p.getInputStream().readNBytes(64 * 1024);
      if (!p.waitFor(10, TimeUnit.SECONDS)) {
        p.destroyForcibly();
        return null;
      }
      return p.exitValue() == 0 ? new String(out, java.nio.charset.StandardCharsets.UTF_8) : null;
    } catch (IOException e) {
      return null;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return null;
    }
  }
}
