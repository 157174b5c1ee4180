package org.cityops.infra;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** A real {@code redis-server} started as a child process on a loopback port. */
public final class RedisServerProcess implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(RedisServerProcess.class);

    /** What to tell a person when the binary is missing. */
    public static final String INSTALL_HINT =
            "redis-server is not installed: run 'apt-get update && apt-get install -y redis-server'";

    private final Process process;
    private final int port;

    private RedisServerProcess(Process process, int port) {
        this.process = process;
        this.port = port;
    }

    /** The redis-server binary on the PATH (or Debian's location), if any. */
    public static Optional<Path> findBinary() {
        List<Path> candidates = new ArrayList<>();
        String path = System.getenv("PATH");
        if (path != null) {
            for (String dir : path.split(java.io.File.pathSeparator)) {
                candidates.add(Path.of(dir, "redis-server"));
            }
        }
        candidates.add(Path.of("/usr/bin/redis-server"));
        candidates.add(Path.of("/usr/local/bin/redis-server"));
        return candidates.stream().filter(Files::isExecutable).findFirst();
    }

    /**
     * Starts redis-server with its files in {@code dir}. With {@code persistent}, it keeps an
     * append-only file there so a restart finds the live view again; otherwise it keeps nothing.
     */
    public static RedisServerProcess start(Path dir, int preferredPort, boolean persistent) {
        Path binary = findBinary().orElseThrow(() -> new IllegalStateException(INSTALL_HINT));
        int port = FreePorts.preferOrPick(preferredPort);
        try {
            Files.createDirectories(dir);
            List<String> command =
                    new ArrayList<>(
                            List.of(
                                    binary.toString(),
                                    "--port",
                                    String.valueOf(port),
                                    "--bind",
                                    "127.0.0.1",
                                    "--dir",
                                    dir.toAbsolutePath().toString(),
                                    "--daemonize",
                                    "no",
                                    "--protected-mode",
                                    "yes",
                                    "--save",
                                    ""));
            command.addAll(
                    persistent ? List.of("--appendonly", "yes") : List.of("--appendonly", "no"));
            Process process =
                    new ProcessBuilder(command)
                            .redirectErrorStream(true)
                            .redirectOutput(dir.resolve("redis.log").toFile())
                            .start();
            RedisServerProcess redis = new RedisServerProcess(process, port);
            Runtime.getRuntime().addShutdownHook(new Thread(redis::close, "redis-server-stop"));
            redis.awaitPong(Duration.ofSeconds(15));
            LOG.info("redis-server {} serving at 127.0.0.1:{}, files in {}", binary, port, dir);
            return redis;
        } catch (IOException e) {
            throw new IllegalStateException("cannot start " + binary, e);
        }
    }

    public int port() {
        return port;
    }

    public String uri() {
        return "redis://127.0.0.1:" + port;
    }

    private void awaitPong(Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            if (!process.isAlive()) {
                throw new IllegalStateException(
                        "redis-server exited with " + process.exitValue() + " (see its redis.log)");
            }
            if (ping(port)) {
                return;
            }
            try {
                Thread.sleep(25); // polling a child process that is starting up
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted waiting for redis-server", e);
            }
        }
        close();
        throw new IllegalStateException("redis-server did not answer PING within " + timeout);
    }

    /** True when a Redis server answers PING at the port. */
    public static boolean ping(int port) {
        try (Socket socket = new Socket(InetAddress.getLoopbackAddress(), port)) {
            socket.setSoTimeout(1000);
            OutputStream out = socket.getOutputStream();
            out.write("PING\r\n".getBytes(StandardCharsets.US_ASCII));
            out.flush();
            InputStream in = socket.getInputStream();
            byte[] reply = new byte[7];
            int read = in.readNBytes(reply, 0, 7);
            return new String(reply, 0, read, StandardCharsets.US_ASCII).startsWith("+PONG");
        } catch (IOException e) {
            return false;
        }
    }

    @Override
    public void close() {
        if (process.isAlive()) {
            process.destroy();
            try {
                if (!process.waitFor(5, java.util.concurrent.TimeUnit.SECONDS)) {
                    process.destroyForcibly();
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                process.destroyForcibly();
            }
        }
    }
}
