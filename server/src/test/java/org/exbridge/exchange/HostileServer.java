package org.exbridge.exchange;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A loopback "Exchange" that misbehaves at the byte level: it reads each request head and then lets
 * a behaviour write whatever it likes (stall, trickle, flood, lie). It records every request head
 * it was sent, so a test can tell whether a header (a bearer token) ever reached it.
 */
public final class HostileServer implements AutoCloseable {
  /** What to do with one connection after its request head was read. */
  @FunctionalInterface
  public interface Behaviour {
    void answer(String requestHead, InputStream in, OutputStream out)
        throws IOException, InterruptedException;
  }

  private final ServerSocket socket;
  private final List<String> heads = new CopyOnWriteArrayList<>();
  private final List<Socket> open = new CopyOnWriteArrayList<>();
  private final AtomicInteger connections = new AtomicInteger();
  private volatile Behaviour behaviour;

  public HostileServer(String address, Behaviour behaviour) throws IOException {
    this.behaviour = behaviour;
    this.socket = new ServerSocket(0, 50, InetAddress.getByName(address));
    Thread.ofVirtual().name("hostile-accept").start(this::accept);
  }

  public void behave(Behaviour behaviour) {
    this.behaviour = behaviour;
  }

  public String url() {
    return "http://" + socket.getInetAddress().getHostAddress() + ":" + socket.getLocalPort();
  }

  public List<String> requestHeads() {
    return heads;
  }

  /** Connections accepted so far. */
  public int connections() {
    return connections.get();
  }

  private void accept() {
    while (!socket.isClosed()) {
      try {
        Socket client = socket.accept();
        connections.incrementAndGet();
        open.add(client);
        Thread.ofVirtual().start(() -> serve(client));
      } catch (IOException e) {
        return;
      }
    }
  }

  private void serve(Socket client) {
    try (client) {
      InputStream in = client.getInputStream();
      String head = readHead(in);
      if (head == null) {
        return;
      }
      int length = contentLength(head);
      in.readNBytes(length);
      heads.add(head);
      behaviour.answer(head, in, client.getOutputStream());
    } catch (IOException | InterruptedException e) {
      // the client went away: what a hostile server expects
    } finally {
      open.remove(client);
    }
  }

  private static String readHead(InputStream in) throws IOException {
    StringBuilder head = new StringBuilder();
    int b;
    while ((b = in.read()) >= 0) {
      head.append((char) b);
      if (head.length() >= 4 && head.substring(head.length() - 4).equals("\r\n\r\n")) {
        return head.toString();
      }
    }
    return null;
  }

  private static int contentLength(String head) {
    for (String line : head.split("\r\n")) {
      if (line.toLowerCase().startsWith("content-length:")) {
        return Integer.parseInt(line.substring(15).trim());
      }
    }
    return 0;
  }

  /** Writes a status line and headers; {@code length} < 0 means no Content-Length. */
  public static void head(OutputStream out, int status, String contentType, long length)
      throws IOException {
    String head =
        "HTTP/1.1 "
            + status
            + " X\r\nContent-Type: "
            + contentType
            + "\r\n"
            + (length >= 0 ? "Content-Length: " + length + "\r\n" : "")
            + "Connection: close\r\n\r\n";
    out.write(head.getBytes(StandardCharsets.US_ASCII));
    out.flush();
  }

  /** A whole answer with a body. */
  public static void reply(OutputStream out, int status, String contentType, String body)
      throws IOException {
    byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
    head(out, status, contentType, bytes.length);
    out.write(bytes);
    out.flush();
  }

  /** Whether every connection it accepted has been closed (by either side). */
  public boolean idle() {
    return open.isEmpty();
  }

  @Override
  public void close() throws IOException {
    socket.close();
    for (Socket s : open) {
      try {
        s.close();
      } catch (SocketException e) {
        // already gone
      }
    }
  }
}
