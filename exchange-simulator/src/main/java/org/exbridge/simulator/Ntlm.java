package org.exbridge.simulator;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.Base64;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * The server side of NTLM over HTTP, as IIS does it for EWS: a Type 1 message gets a 401 with a
 * Type 2 challenge on the same connection; a Type 3 message that carries a valid NTLMv2 response
 * for the admin's password authenticates that connection.
 */
final class Ntlm {
  private static final byte[] SIGNATURE = "NTLMSSP\0".getBytes(StandardCharsets.US_ASCII);
  private static final String DOMAIN = "EXCHANGE";
  private static final int FLAGS =
      0x00000001
          | 0x00000004
          | 0x00000200
          | 0x00008000
          | 0x00010000
          | 0x00080000
          | 0x00800000
          | 0x20000000
          | 0x80000000;

  private final SecureRandom random = new SecureRandom();
  private final Map<String, byte[]> challenges = new ConcurrentHashMap<>();
  private final Set<String> authenticated = ConcurrentHashMap.newKeySet();
  private final String user;
  private final String password;

  Ntlm(String user, String password) {
    this.user = user;
    this.password = password;
  }

  /** What to do with a request on this connection. */
  sealed interface Outcome {
    record Allowed() implements Outcome {}

    record Challenge(String header) implements Outcome {}

    record Refused() implements Outcome {}
  }

  boolean isAuthenticated(String connection) {
    return authenticated.contains(connection);
  }

  /** Handles {@code Authorization: NTLM ...} on a connection. */
  Outcome handle(String connection, String token) {
    byte[] message;
    try {
      message = Base64.getDecoder().decode(token.trim());
    } catch (IllegalArgumentException e) {
      return new Outcome.Refused();
    }
    if (message.length < 12 || !Arrays.equals(Arrays.copyOf(message, 8), SIGNATURE)) {
      return new Outcome.Refused();
    }
    int type = ByteBuffer.wrap(message, 8, 4).order(ByteOrder.LITTLE_ENDIAN).getInt();
    if (type == 1) {
      byte[] challenge = new byte[8];
      random.nextBytes(challenge);
      challenges.put(connection, challenge);
      authenticated.remove(connection);
      return new Outcome.Challenge("NTLM " + Base64.getEncoder().encodeToString(type2(challenge)));
    }
    if (type == 3) {
      byte[] challenge = challenges.remove(connection);
      if (challenge != null && verify(message, challenge)) {
        authenticated.add(connection);
        return new Outcome.Allowed();
      }
    }
    return new Outcome.Refused();
  }

  private static byte[] type2(byte[] challenge) {
    byte[] target = DOMAIN.getBytes(StandardCharsets.UTF_16LE);
    ByteBuffer info = ByteBuffer.allocate(4 + target.length + 4).order(ByteOrder.LITTLE_ENDIAN);
    info.putShort((short) 2)
        .putShort((short) target.length)
        .put(target)
        .putShort((short) 0)
        .putShort((short) 0);
    byte[] targetInfo = info.array();
    int headerLength = 48;
    ByteBuffer b =
        ByteBuffer.allocate(headerLength + target.length + targetInfo.length)
            .order(ByteOrder.LITTLE_ENDIAN);
    b.put(SIGNATURE).putInt(2);
    b.putShort((short) target.length).putShort((short) target.length).putInt(headerLength);
    b.putInt(FLAGS);
    b.put(challenge);
    b.putLong(0);
    b.putShort((short) targetInfo.length)
        .putShort((short) targetInfo.length)
        .putInt(headerLength + target.length);
    b.put(target).put(targetInfo);
    return b.array();
  }

  /** Checks the NTLMv2 response of a Type 3 message against the admin's password. */
  private boolean verify(byte[] message, byte[] challenge) {
    try {
      ByteBuffer b = ByteBuffer.wrap(message).order(ByteOrder.LITTLE_ENDIAN);
      byte[] nt = field(b, 20);
      String domain = new String(field(b, 28), StandardCharsets.UTF_16LE);
      String name = new String(field(b, 36), StandardCharsets.UTF_16LE);
      String login = name.contains("\\") ? name.substring(name.indexOf('\\') + 1) : name;
      if (!(login.equalsIgnoreCase(user)
              || login.equalsIgnoreCase(user.substring(0, user.indexOf('@'))))
          || nt.length <= 24) {
        return false;
      }
      byte[] ntHash = Md4.digest(password.getBytes(StandardCharsets.UTF_16LE));
      byte[] ntlmv2Hash =
          hmac(
              ntHash, (name.toUpperCase(Locale.ROOT) + domain).getBytes(StandardCharsets.UTF_16LE));
      byte[] blob = Arrays.copyOfRange(nt, 16, nt.length);
      byte[] proof = hmac(ntlmv2Hash, concat(challenge, blob));
      return MessageDigest.isEqual(proof, Arrays.copyOf(nt, 16));
    } catch (RuntimeException e) {
      return false;
    }
  }

  private static byte[] field(ByteBuffer b, int offset) {
    int length = b.getShort(offset) & 0xffff;
    int at = b.getInt(offset + 4);
    return Arrays.copyOfRange(b.array(), at, at + length);
  }

  private static byte[] hmac(byte[] key, byte[] data) {
    try {
      Mac mac = Mac.getInstance("HmacMD5");
      mac.init(new SecretKeySpec(key, "HmacMD5"));
      return mac.doFinal(data);
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException(e);
    }
  }

  private static byte[] concat(byte[] a, byte[] b) {
    byte[] out = Arrays.copyOf(a, a.length + b.length);
    System.arraycopy(b, 0, out, a.length, b.length);
    return out;
  }

  /** MD4 (RFC 1320), which NTLM needs and the JDK does not offer. */
  static final class Md4 {
    private Md4() {}

    static byte[] digest(byte[] input) {
      int[] state = {0x67452301, 0xefcdab89, 0x98badcfe, 0x10325476};
      long bits = (long) input.length * 8;
      int padded = ((input.length + 8) / 64 + 1) * 64;
      byte[] data = Arrays.copyOf(input, padded);
      data[input.length] = (byte) 0x80;
      for (int i = 0; i < 8; i++) {
        data[padded - 8 + i] = (byte) (bits >>> (8 * i));
      }
      int[] x = new int[16];
      for (int block = 0; block < padded; block += 64) {
        for (int i = 0; i < 16; i++) {
          x[i] =
              (data[block + 4 * i] & 0xff)
                  | (data[block + 4 * i + 1] & 0xff) << 8
                  | (data[block + 4 * i + 2] & 0xff) << 16
                  | (data[block + 4 * i + 3] & 0xff) << 24;
        }
        int a = state[0];
        int b = state[1];
        int c = state[2];
        int d = state[3];
        int[] r1 = {3, 7, 11, 19};
        for (int i = 0; i < 16; i++) {
          int t = a + ((b & c) | (~b & d)) + x[i];
          a = d;
          d = c;
          c = b;
          b = Integer.rotateLeft(t, r1[i % 4]);
        }
        int[] order2 = {0, 4, 8, 12, 1, 5, 9, 13, 2, 6, 10, 14, 3, 7, 11, 15};
        int[] r2 = {3, 5, 9, 13};
        for (int i = 0; i < 16; i++) {
          int t = a + ((b & c) | (b & d) | (c & d)) + x[order2[i]] + 0x5a827999;
          a = d;
          d = c;
          c = b;
          b = Integer.rotateLeft(t, r2[i % 4]);
        }
        int[] order3 = {0, 8, 4, 12, 2, 10, 6, 14, 1, 9, 5, 13, 3, 11, 7, 15};
        int[] r3 = {3, 9, 11, 15};
        for (int i = 0; i < 16; i++) {
          int t = a + (b ^ c ^ d) + x[order3[i]] + 0x6ed9eba1;
          a = d;
          d = c;
          c = b;
          b = Integer.rotateLeft(t, r3[i % 4]);
        }
        state[0] += a;
        state[1] += b;
        state[2] += c;
        state[3] += d;
      }
      byte[] out = new byte[16];
      for (int i = 0; i < 4; i++) {
        for (int j = 0; j < 4; j++) {
          out[4 * i + j] = (byte) (state[i] >>> (8 * j));
        }
      }
      return out;
    }
  }
}
